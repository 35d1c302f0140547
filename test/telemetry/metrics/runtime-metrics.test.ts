import { Counter, Registry } from 'prom-client';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { emptyStats } from '../../../src/resilience/budget/stats.js';
import { createRuntime, type Runtime } from '../../../src/runtime/create-runtime.js';
import { MetricsUnavailableError } from '../../../src/telemetry/errors/metrics-unavailable-error.js';
import { loadPromClient } from '../../../src/telemetry/metrics/load-prom-client.js';
import { RuntimeMetrics } from '../../../src/telemetry/metrics/runtime-metrics.js';
import { scriptedSpawn } from '../../helpers/scripted-spawn.js';
import { settle } from '../../orchestration/patterns/harness.js';

/** The value of one series in the text exposition, e.g. `value(text, 'x_total{a="b"}')`. */
function value(text: string, series: string): number | undefined {
  const line = text.split('\n').find((l) => l.startsWith(`${series} `));
  return line === undefined ? undefined : Number(line.slice(series.length + 1));
}

describe('runtime.metrics() (fake CLI, fake timers)', () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  function runtimeWith(extra: Parameters<typeof createRuntime>[0] = {}) {
    const { spawn } = scriptedSpawn((prompt, _call, { n }) =>
      prompt === 'flaky' && n === 1
        ? { apiErrorStatus: 529, delayMs: 10, costUsd: 0.5 }
        : prompt === 'hang'
          ? { hang: true }
          : { delayMs: 10, costUsd: 0.25 },
    );
    return createRuntime({
      defaults: {
        executable: process.execPath,
        model: 'sonnet',
        retry: { maxAttempts: 2, initialDelayMs: 100, jitter: 0 },
      },
      processes: { spawn },
      ...extra,
    });
  }

  async function stop(runtime: Runtime): Promise<void> {
    const stopped = runtime.stop({ deadlineMs: 0 });
    await vi.runAllTimersAsync();
    await stopped;
  }

  it('counts queries, retries, cost and tokens from the start, even when asked later', async () => {
    const runtime = runtimeWith();
    await settle(runtime.query('flaky', {}, { tags: ['team:a'] }).result);
    await settle(runtime.query('ok', {}, { tags: ['team:b'] }).result);
    const registry = runtime.metrics();
    expect(runtime.metrics()).toBe(registry);
    const text = await registry.metrics();
    expect(value(text, 'claude_actors_queries_total{status="succeeded"}')).toBe(2);
    expect(value(text, 'claude_actors_queries_total{status="failed"}')).toBe(0);
    expect(value(text, 'claude_actors_query_retries_total{reason="API_ERROR"}')).toBe(1);
    expect(value(text, 'claude_actors_cost_usd_total{model="sonnet"}')).toBeCloseTo(1, 9);
    expect(value(text, 'claude_actors_tag_cost_usd_total{tag="team:a"}')).toBeCloseTo(0.75, 9);
    const sonnet = runtime.stats().byModel.sonnet;
    expect(sonnet?.inputTokens).toBeGreaterThan(0);
    expect(value(text, 'claude_actors_tokens_total{model="sonnet",type="input"}')).toBe(
      sonnet?.inputTokens,
    );
    expect(value(text, 'claude_actors_tag_tokens_total{tag="team:b",type="output"}')).toBe(5);
    expect(value(text, 'claude_actors_breaker_state{state="closed"}')).toBe(1);
    expect(value(text, 'claude_actors_breaker_state{state="open"}')).toBe(0);
    expect(value(text, 'claude_actors_limiter_queue_depth')).toBe(0);
    expect(value(text, 'claude_actors_limiter_paused')).toBe(0);
    // The retry was a restart of the query by the queries supervisor.
    expect(value(text, 'claude_actors_supervisor_restarts_total{supervisor="queries"}')).toBe(1);
    expect(text).toContain('# TYPE claude_actors_queries_total counter');
    expect(text).toContain('# TYPE claude_actors_queries_in_flight gauge');
    expect(registry.contentType).toContain('text/plain');
    await stop(runtime);
  });

  it('reads queries in flight and the limiter queue when scraped', async () => {
    const runtime = runtimeWith({ limiter: { maxConcurrent: 1 } });
    const first = runtime.query('hang');
    runtime.query('hang');
    await vi.advanceTimersByTimeAsync(50);
    const text = await runtime.metrics().metrics();
    expect(value(text, 'claude_actors_queries_in_flight')).toBe(2);
    expect(value(text, 'claude_actors_limiter_queue_depth')).toBe(1);
    expect(value(text, 'claude_actors_limiter_in_flight')).toBe(1);
    first.cancel();
    await stop(runtime);
    const after = await runtime.metrics().metrics();
    expect(value(after, 'claude_actors_queries_total{status="cancelled"}')).toBe(2);
  });

  it('bounds tag series: at most maxTags, the rest summed as "other", includeTag filtering', async () => {
    const runtime = runtimeWith({
      telemetry: { metrics: { maxTags: 2, includeTag: (tag) => !tag.startsWith('run:') } },
    });
    for (const tag of ['run:1', 'a', 'b', 'c', 'd']) {
      await settle(runtime.query('ok', {}, { tags: [tag] }).result);
    }
    const text = await runtime.metrics().metrics();
    const tags = [...text.matchAll(/claude_actors_tag_cost_usd_total\{tag="([^"]+)"\}/g)].map(
      (m) => m[1],
    );
    expect(tags).toEqual(['a', 'b', 'other']);
    expect(value(text, 'claude_actors_tag_cost_usd_total{tag="other"}')).toBeCloseTo(0.75, 9);
    await stop(runtime);
  });

  it('is a prom-client Registry an application can merge with its own', async () => {
    const runtime = runtimeWith();
    await settle(runtime.query('ok').result);
    const app = new Registry();
    new Counter({ name: 'app_requests_total', help: 'Requests.', registers: [app] }).inc(3);
    const merged = Registry.merge([app, runtime.metrics() as Registry]);
    const text = await merged.metrics();
    expect(value(text, 'app_requests_total')).toBe(3);
    expect(value(text, 'claude_actors_queries_total{status="succeeded"}')).toBe(1);
    await stop(runtime);
  });

  it('refuses invalid metrics options, naming them', () => {
    expect(() => createRuntime({ telemetry: { metrics: { maxTags: -1 } } })).toThrow(
      'telemetry.metrics.maxTags',
    );
    expect(() => createRuntime({ telemetry: { tracerProvider: {} as never } })).toThrow(
      'telemetry.tracerProvider',
    );
  });

  it('throws METRICS_UNAVAILABLE, saying what to install, without prom-client', () => {
    const missing = () => {
      throw Object.assign(new Error("Cannot find module 'prom-client'"), {
        code: 'MODULE_NOT_FOUND',
      });
    };
    expect(() => loadPromClient(missing)).toThrow(MetricsUnavailableError);
    const metrics = new RuntimeMetrics(
      {
        inFlight: () => 0,
        stats: () => emptyStats(0),
        limiter: () => undefined,
        breaker: () => undefined,
        pool: () => undefined,
        now: () => 0,
      },
      { maxTags: 20 },
      () => loadPromClient(missing),
    );
    expect(() => metrics.registry()).toThrow(/npm install prom-client/);
    try {
      metrics.registry();
    } catch (error) {
      expect(error).toMatchObject({ code: 'METRICS_UNAVAILABLE', retryable: false });
    }
  });
});
