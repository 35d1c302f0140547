/** Resolved adaptive concurrency settings. @internal */
export interface AdaptiveConcurrencyConfig {
  readonly enabled: boolean;
  readonly min: number;
  readonly max: number;
  readonly decreaseFactor: number;
  readonly increaseAfter: number | undefined;
  readonly cooldownMs: number;
}

/** The persisted state of adaptive concurrency: plain JSON, times in epoch ms. */
export interface ConcurrencyState {
  /** Queries allowed to run at once right now. */
  limit: number;
  /** Successes since the limit last changed. */
  successes: number;
  /** When the limit last shrank (epoch ms). */
  lastDecreaseAt: number | undefined;
}

/**
 * Adaptive concurrency by AIMD (additive increase, multiplicative decrease), as TCP congestion
 * control and Netflix's `concurrency-limits` do it:
 *
 * - **Decrease**: a `rate_limited` (429) or `overloaded` (529) signal multiplies the limit by
 *   `decreaseFactor` (default 0.5), rounded down, never below `min`. Signals within
 *   `cooldownMs` of the last decrease are ignored: the queries of one wave that all hit the
 *   same 429 shrink the limit once, not once each.
 * - **Increase**: every `increaseAfter` successes (by default as many as the current limit:
 *   one "round trip" of the whole window) add one, up to `maxConcurrent`.
 *
 * So a limit of 16 halves to 8 on a 429 and needs 8 + 9 + … + 15 = 92 successes to climb back:
 * quick to back off, slow to press again. A smaller limit never cancels running queries; it
 * only holds back new ones until enough finish.
 *
 * @returns The new limit, or `undefined` when it did not change.
 */
export function adaptConcurrency(
  state: ConcurrencyState,
  config: AdaptiveConcurrencyConfig,
  signal: 'pressure' | 'success',
  now: number,
): number | undefined {
  if (!config.enabled) return undefined;
  if (signal === 'pressure') {
    if (state.lastDecreaseAt !== undefined && now - state.lastDecreaseAt < config.cooldownMs) {
      return undefined;
    }
    state.lastDecreaseAt = now;
    state.successes = 0;
    const next = Math.max(config.min, Math.floor(state.limit * config.decreaseFactor));
    if (next === state.limit) return undefined;
    state.limit = next;
    return next;
  }
  if (state.limit >= config.max) return undefined;
  state.successes += 1;
  if (state.successes < (config.increaseAfter ?? state.limit)) return undefined;
  state.successes = 0;
  state.limit += 1;
  return state.limit;
}
