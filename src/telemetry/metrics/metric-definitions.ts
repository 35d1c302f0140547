import type { ProcessPoolStats } from '../../process/pool/process-pool.js';
import type { BreakerState } from '../../resilience/breaker/breaker-state.js';
import type { Stats, StatsEntry } from '../../resilience/budget/stats.js';
import type { RateLimiterStateView } from '../../resilience/limiter/rate-limiter-types.js';
import type { LabeledCounts, Labels } from './labeled-counts.js';
import type { ResolvedMetricsOptions } from './metrics-options.js';

/** Where the metrics are read from when scraped. */
export interface MetricsSources {
  /** Retries per error code (`reason`). */
  readonly retries: LabeledCounts;
  /** Restarts per supervisor (`supervisor`). */
  readonly restarts: LabeledCounts;
  /** Hooks that threw, per `plugin` and `hook`. */
  readonly pluginErrors: LabeledCounts;
  inFlight(): number;
  stats(): Stats;
  limiter(): RateLimiterStateView | undefined;
  breaker(): BreakerState | undefined;
  pool(): ProcessPoolStats | undefined;
  /** Epoch ms. */
  now(): number;
}

/** One metric: its Prometheus name, type and labels, and how to read its series. */
export interface MetricDefinition {
  readonly name: string;
  readonly help: string;
  readonly type: 'counter' | 'gauge';
  readonly labelNames: readonly string[];
  read(): [Labels, number][];
}

const TOKEN_TYPES = [
  ['input', 'inputTokens'],
  ['output', 'outputTokens'],
  ['cache_read', 'cacheReadInputTokens'],
  ['cache_creation', 'cacheCreationInputTokens'],
] as const satisfies readonly (readonly [string, keyof StatsEntry])[];

const BREAKER_STATES = ['closed', 'open', 'half_open'] as const;

/** The tag entries of `stats`, bounded: at most `maxTags` tags, the rest summed as `other`. */
export function boundedTags(
  byTag: Stats['byTag'],
  options: ResolvedMetricsOptions,
): [string, StatsEntry][] {
  const kept: [string, StatsEntry][] = [];
  const other: StatsEntry[] = [];
  for (const [tag, entry] of Object.entries(byTag)) {
    const allowed = kept.length < options.maxTags && (options.includeTag?.(tag) ?? true);
    if (allowed) kept.push([tag, entry]);
    else other.push(entry);
  }
  if (other.length > 0) kept.push(['other', sumEntries(other)]);
  return kept;
}

function sumEntries(entries: readonly StatsEntry[]): StatsEntry {
  const sum: Record<string, number> = {};
  for (const entry of entries) {
    for (const [key, value] of Object.entries(entry)) sum[key] = (sum[key] ?? 0) + value;
  }
  return sum as unknown as StatsEntry;
}

const gauge = (value: number | undefined): [Labels, number][] =>
  value === undefined ? [] : [[{}, value]];

/**
 * Every metric of a runtime (prefix `claude_actors_`). Counters of queries, cost and tokens
 * are the runtime's stats (`runtime.stats()`), so they agree with it; the limiter, breaker and
 * pool are read from their state when scraped.
 */
export function metricDefinitions(
  sources: MetricsSources,
  options: ResolvedMetricsOptions,
): MetricDefinition[] {
  const byModel = (): [string, StatsEntry][] => Object.entries(sources.stats().byModel);
  const byTag = (): [string, StatsEntry][] => boundedTags(sources.stats().byTag, options);
  const tokens = (key: 'model' | 'tag', rows: [string, StatsEntry][]): [Labels, number][] =>
    rows.flatMap(([name, entry]) =>
      TOKEN_TYPES.map(([type, field]): [Labels, number] => [{ [key]: name, type }, entry[field]]),
    );
  const limiter = sources.limiter;
  return [
    {
      name: 'claude_actors_queries_total',
      help: 'Queries that ended, by status (succeeded, failed, cancelled).',
      type: 'counter',
      labelNames: ['status'],
      read: () => {
        const { total } = sources.stats();
        return [
          [{ status: 'succeeded' }, total.succeeded],
          [{ status: 'failed' }, total.failed],
          [{ status: 'cancelled' }, total.cancelled],
        ];
      },
    },
    {
      name: 'claude_actors_queries_refused_total',
      help: 'Queries refused before they started because a budget was spent.',
      type: 'counter',
      labelNames: [],
      read: () => [[{}, sources.stats().total.refused]],
    },
    {
      name: 'claude_actors_queries_in_flight',
      help: 'Queries started and not yet settled (waiting for admission, backing off or running).',
      type: 'gauge',
      labelNames: [],
      read: () => [[{}, sources.inFlight()]],
    },
    {
      name: 'claude_actors_query_retries_total',
      help: 'Attempts retried, by the error code of the failure (reason).',
      type: 'counter',
      labelNames: ['reason'],
      read: () => sources.retries.entries(),
    },
    {
      name: 'claude_actors_cost_usd_total',
      help: 'Cost in USD reported by the CLI, by model.',
      type: 'counter',
      labelNames: ['model'],
      read: () => byModel().map(([model, entry]) => [{ model }, entry.costUsd]),
    },
    {
      name: 'claude_actors_tokens_total',
      help: 'Tokens reported by the CLI, by model and type (input, output, cache_read, cache_creation).',
      type: 'counter',
      labelNames: ['model', 'type'],
      read: () => tokens('model', byModel()),
    },
    {
      name: 'claude_actors_tag_cost_usd_total',
      help: 'Cost in USD by query tag (bounded: see the maxTags metrics option; the rest is "other").',
      type: 'counter',
      labelNames: ['tag'],
      read: () => byTag().map(([tag, entry]) => [{ tag }, entry.costUsd]),
    },
    {
      name: 'claude_actors_tag_tokens_total',
      help: 'Tokens by query tag and type (bounded like claude_actors_tag_cost_usd_total).',
      type: 'counter',
      labelNames: ['tag', 'type'],
      read: () => tokens('tag', byTag()),
    },
    {
      name: 'claude_actors_limiter_queue_depth',
      help: 'Queries waiting for a permit of the rate limiter.',
      type: 'gauge',
      labelNames: [],
      read: () => gauge(limiter()?.queued),
    },
    {
      name: 'claude_actors_limiter_in_flight',
      help: 'Permits of the rate limiter granted and not yet released.',
      type: 'gauge',
      labelNames: [],
      read: () => gauge(limiter()?.inFlight),
    },
    {
      name: 'claude_actors_limiter_concurrency_limit',
      help: 'Queries the rate limiter lets run at once now (adaptive); absent when unlimited.',
      type: 'gauge',
      labelNames: [],
      read: () => gauge(limiter()?.concurrencyLimit),
    },
    {
      name: 'claude_actors_limiter_paused',
      help: '1 while the rate limiter pauses admission after a rate-limit signal, else 0.',
      type: 'gauge',
      labelNames: [],
      read: () => {
        const state = limiter();
        if (!state) return [];
        return [[{}, (state.pausedUntil ?? 0) > sources.now() ? 1 : 0]];
      },
    },
    {
      name: 'claude_actors_limiter_pause_remaining_seconds',
      help: 'Seconds until the rate limiter admits queries again (0 when not paused).',
      type: 'gauge',
      labelNames: [],
      read: () => {
        const state = limiter();
        if (!state) return [];
        return [[{}, Math.max(0, ((state.pausedUntil ?? 0) - sources.now()) / 1000)]];
      },
    },
    {
      name: 'claude_actors_breaker_state',
      help: 'The circuit breaker state: 1 for the current one of closed, open, half_open.',
      type: 'gauge',
      labelNames: ['state'],
      read: () => {
        const state = sources.breaker()?.state;
        if (!state) return [];
        return BREAKER_STATES.map((s): [Labels, number] => [{ state: s }, s === state ? 1 : 0]);
      },
    },
    {
      name: 'claude_actors_pool_idle_processes',
      help: 'Warm CLI processes of the pool ready now.',
      type: 'gauge',
      labelNames: [],
      read: () => gauge(sources.pool()?.idle),
    },
    {
      name: 'claude_actors_pool_requests_total',
      help: 'Queries the pool served, by outcome: hit (a warm process), miss (started one), reused (a warm process after /clear).',
      type: 'counter',
      labelNames: ['outcome'],
      read: () => {
        const pool = sources.pool();
        if (!pool) return [];
        return [
          [{ outcome: 'hit' }, pool.hits],
          [{ outcome: 'miss' }, pool.misses],
          [{ outcome: 'reused' }, pool.reused],
        ];
      },
    },
    {
      name: 'claude_actors_pool_processes_total',
      help: 'Pool processes started ahead of demand (prespawned) and stopped when idle too long (expired).',
      type: 'counter',
      labelNames: ['event'],
      read: () => {
        const pool = sources.pool();
        if (!pool) return [];
        return [
          [{ event: 'prespawned' }, pool.prespawned],
          [{ event: 'expired' }, pool.expired],
        ];
      },
    },
    {
      name: 'claude_actors_supervisor_restarts_total',
      help: 'Children restarted, by supervisor (the queries supervisor restarts a query per retry).',
      type: 'counter',
      labelNames: ['supervisor'],
      read: () => sources.restarts.entries(),
    },
    {
      name: 'claude_actors_plugin_errors_total',
      help: 'Plugin hooks that threw or rejected, by plugin and hook.',
      type: 'counter',
      labelNames: ['plugin', 'hook'],
      read: () => sources.pluginErrors.entries(),
    },
  ];
}
