import type { QueryHistory } from './history/query-history.js';
import type { ResolvedQueryOptions } from './options/query-options.js';
import type { QueryPrompt } from './query-types.js';

/** Input of the query machine. */
export interface QueryInput {
  readonly queryId: string;
  readonly prompt: QueryPrompt;
  readonly options: ResolvedQueryOptions;
  /** Randomness for backoff jitter. @defaultValue `Math.random` */
  readonly random?: () => number;
  /** Clock for durations. @defaultValue `Date.now` */
  readonly now?: () => number;
  /**
   * The attempts made so far by earlier actors of the same query (a supervisor restart
   * continues the history: attempt numbers, errors, costs, the deadline and the backoff it
   * planned, waited before this actor's first attempt).
   * @defaultValue an empty history starting now, with the deadline `timeouts.totalMs` from now
   */
  readonly history?: QueryHistory;
  /**
   * Retries are a supervisor's restarts: after a retryable failure the actor plans the retry
   * (its `retrying` event and the history's pending delay) and ends `failed` instead of waiting;
   * {@link queryExitReason} then asks for the restart.
   * @defaultValue false: the actor retries by itself
   */
  readonly retryByRestart?: boolean;
  /**
   * Park at a rate limit (with `retryByRestart`, as a runtime runs queries): an attempt that
   * failed at a rate limit whose reset is known and at most this far (ms) does not count
   * against `retry.maxAttempts`, and the wait for the reset moves the query's deadline
   * (`timeouts.totalMs`) by as much; a reset further away fails the query with
   * `UsageLimitError`. A runtime passes its limiter's `parkHorizonMs`.
   * @defaultValue undefined: nothing parks
   */
  readonly parkHorizonMs?: number | undefined;
}
