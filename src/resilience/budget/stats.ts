import type { QueryResult } from '../../machines/query/query-types.js';

/** Counters of a set of queries. */
export interface StatsEntry {
  /** Queries recorded (succeeded + failed + cancelled). */
  readonly queries: number;
  readonly succeeded: number;
  readonly failed: number;
  readonly cancelled: number;
  /** Queries refused before they started because a budget was spent. */
  readonly refused: number;
  /** Extra attempts: `attempts - 1` per query. */
  readonly retries: number;
  readonly costUsd: number;
  readonly inputTokens: number;
  readonly outputTokens: number;
  readonly cacheReadInputTokens: number;
  readonly cacheCreationInputTokens: number;
  /** Wall time of every query, summed. */
  readonly durationMs: number;
}

/** Statistics in total, per model and per tag. Plain JSON. */
export interface Stats {
  readonly total: StatsEntry;
  readonly byModel: Readonly<Record<string, StatsEntry>>;
  readonly byTag: Readonly<Record<string, StatsEntry>>;
  /** When these statistics started (epoch ms): creation or the last reset. */
  readonly since: number;
}

/** The model key of a query recorded without one. */
export const UNKNOWN_MODEL = 'unknown';

/** Zero of everything. */
export const EMPTY_STATS_ENTRY: StatsEntry = Object.freeze({
  queries: 0,
  succeeded: 0,
  failed: 0,
  cancelled: 0,
  refused: 0,
  retries: 0,
  costUsd: 0,
  inputTokens: 0,
  outputTokens: 0,
  cacheReadInputTokens: 0,
  cacheCreationInputTokens: 0,
  durationMs: 0,
});

/** Empty statistics starting at `since`. */
export function emptyStats(since: number): Stats {
  return { total: EMPTY_STATS_ENTRY, byModel: {}, byTag: {}, since };
}

/** `entry` plus one finished query. */
export function addResult(entry: StatsEntry, result: QueryResult): StatsEntry {
  return {
    queries: entry.queries + 1,
    succeeded: entry.succeeded + (result.status === 'succeeded' ? 1 : 0),
    failed: entry.failed + (result.status === 'failed' ? 1 : 0),
    cancelled: entry.cancelled + (result.status === 'cancelled' ? 1 : 0),
    refused: entry.refused,
    retries: entry.retries + Math.max(0, result.attempts - 1),
    costUsd: entry.costUsd + result.costUsd,
    inputTokens: entry.inputTokens + result.usage.inputTokens,
    outputTokens: entry.outputTokens + result.usage.outputTokens,
    cacheReadInputTokens: entry.cacheReadInputTokens + result.usage.cacheReadInputTokens,
    cacheCreationInputTokens:
      entry.cacheCreationInputTokens + result.usage.cacheCreationInputTokens,
    durationMs: entry.durationMs + result.durationMs,
  };
}

/** `entry` plus one refused query. */
export function addRefusal(entry: StatsEntry): StatsEntry {
  return { ...entry, refused: entry.refused + 1 };
}

/** `stats` with `update` applied to the total, the model's entry and each tag's entry. */
export function updateStats(
  stats: Stats,
  model: string | undefined,
  tags: readonly string[],
  update: (entry: StatsEntry) => StatsEntry,
): Stats {
  const byTag = { ...stats.byTag };
  for (const tag of new Set(tags)) byTag[tag] = update(byTag[tag] ?? EMPTY_STATS_ENTRY);
  const byModel = { ...stats.byModel };
  const key = model ?? UNKNOWN_MODEL;
  byModel[key] = update(byModel[key] ?? EMPTY_STATS_ENTRY);
  return { total: update(stats.total), byModel, byTag, since: stats.since };
}
