import type { RetryPolicy } from '../../../core/backoff/retry-policy.js';
import type { ChildEnd, ExitReason } from '../../../supervisors/types.js';
import type { QueryResult } from '../query-types.js';
import type { QueryHistory } from './query-history.js';

/** Errors that end a query however many attempts are left. */
const FINAL_CODES: ReadonlySet<string> = new Set(['TOTAL_TIMEOUT', 'CANCELLED']);

/** What {@link queryExitReason} weighs besides the history. */
export interface QueryExitFacts {
  readonly policy: Pick<RetryPolicy, 'maxAttempts'>;
  /** Epoch ms, for the query's deadline. */
  readonly now: number;
  /** The query was cancelled: nothing restarts it. @defaultValue false */
  readonly cancelled?: boolean;
}

/**
 * How a supervised query actor (`retryByRestart`) ended, as its supervisor's exit reason: a pure
 * function of the query's history after that actor.
 *
 * - It planned a retry (the history's pending delay) and may attempt again (attempts left, the
 *   deadline not passed): abnormal, with the attempt's error, so the supervisor restarts it; the
 *   new actor continues the history and waits the delay first. A query that ended on its total
 *   timeout or a cancel while it waited is over, whatever it had planned.
 * - It crashed (no output): abnormal while attempts are left before the deadline, else normal.
 * - Anything else, or a cancelled query: normal (the query is over).
 *
 * @param history - the history of the actor that ended, its attempt in flight included
 */
export function queryExitReason(
  history: QueryHistory,
  end: ChildEnd,
  facts: QueryExitFacts,
): ExitReason {
  if (facts.cancelled) return 'normal';
  if (end.status === 'error') {
    return history.canAttemptAgain(facts.policy, facts.now) ? { abnormal: end.error } : 'normal';
  }
  if (!history.retryPending || !history.canAttemptAgain(facts.policy, facts.now)) return 'normal';
  const error = (end.output as QueryResult | undefined)?.error;
  if (error && FINAL_CODES.has(error.code)) return 'normal';
  return { abnormal: error ?? history.last?.error };
}
