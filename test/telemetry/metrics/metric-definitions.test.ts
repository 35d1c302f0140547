import { describe, expect, it } from 'vitest';
import { emptyStats } from '../../../src/resilience/budget/stats.js';
import { LabeledCounts } from '../../../src/telemetry/metrics/labeled-counts.js';
import {
  type MetricsSources,
  metricDefinitions,
} from '../../../src/telemetry/metrics/metric-definitions.js';

const sources = (extra: Partial<MetricsSources>): MetricsSources => ({
  retries: new LabeledCounts(),
  restarts: new LabeledCounts(),
  pluginErrors: new LabeledCounts(),
  inFlight: () => 0,
  stats: () => emptyStats(0),
  limiter: () => undefined,
  breaker: () => undefined,
  pool: () => undefined,
  now: () => 10_000,
  ...extra,
});

const read = (s: MetricsSources, name: string) =>
  metricDefinitions(s, { maxTags: 20 })
    .find((d) => d.name === name)
    ?.read();

describe('metricDefinitions', () => {
  it('reads an open breaker as state="open" 1, the others 0', () => {
    const s = sources({
      breaker: () => ({ state: 'open', since: 0, retryAt: 5, openings: 1, waiting: 0 }),
    });
    expect(read(s, 'claude_actors_breaker_state')).toEqual([
      [{ state: 'closed' }, 0],
      [{ state: 'open' }, 1],
      [{ state: 'half_open' }, 0],
    ]);
  });

  it('reads a paused limiter: paused 1 and the seconds left', () => {
    const s = sources({
      limiter: () => ({
        queued: 3,
        inFlight: 2,
        pausedUntil: 12_500,
        pauseReason: 'rate_limit',
        parkHorizonMs: 6 * 3_600_000,
        concurrencyLimit: 4,
        tokens: {},
      }),
    });
    expect(read(s, 'claude_actors_limiter_paused')).toEqual([[{}, 1]]);
    expect(read(s, 'claude_actors_limiter_pause_remaining_seconds')).toEqual([[{}, 2.5]]);
    expect(read(s, 'claude_actors_limiter_queue_depth')).toEqual([[{}, 3]]);
    expect(read(s, 'claude_actors_limiter_concurrency_limit')).toEqual([[{}, 4]]);
  });

  it('reads the pool counters, and has no series without a pool, limiter or breaker', () => {
    const pool = { idle: 2, hits: 5, misses: 1, reused: 4, prespawned: 3, expired: 1 };
    expect(read(sources({ pool: () => pool }), 'claude_actors_pool_requests_total')).toEqual([
      [{ outcome: 'hit' }, 5],
      [{ outcome: 'miss' }, 1],
      [{ outcome: 'reused' }, 4],
    ]);
    expect(read(sources({ pool: () => pool }), 'claude_actors_pool_idle_processes')).toEqual([
      [{}, 2],
    ]);
    const none = sources({});
    for (const name of [
      'claude_actors_pool_idle_processes',
      'claude_actors_limiter_paused',
      'claude_actors_breaker_state',
    ]) {
      expect(read(none, name)).toEqual([]);
    }
  });

  it('names every metric claude_actors_*, counters ending in _total', () => {
    for (const d of metricDefinitions(sources({}), { maxTags: 20 })) {
      expect(d.name).toMatch(/^claude_actors_[a-z_]+$/);
      expect(d.name.endsWith('_total')).toBe(d.type === 'counter');
    }
  });
});
