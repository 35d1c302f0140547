import { isClaudeActorsError } from '../../core/errors/claude-actors-error.js';
import { QueryFailedError } from '../../machines/query/errors/query-failed-error.js';
import type { QueryResult } from '../../machines/query/query-types.js';
import { unfinishedResult } from '../../machines/query/unfinished-result.js';

/** What the next attempt of {@link withRetry} is told. */
export interface RetryAttempt {
  /** 1-based. */
  readonly n: number;
  /** Why the previous attempt was rejected (its error, or the validator's message). */
  readonly feedback: string | undefined;
  readonly previous: QueryResult | undefined;
}

/** Options of {@link withRetry}. */
export interface WithRetryOptions<T> {
  /** Attempts in all. @defaultValue 3 */
  readonly attempts?: number;
  /**
   * Checks a succeeded result: `true` accepts it; a string (or `false`) rejects it, and the
   * string is the feedback for the next attempt.
   */
  readonly validate?: (result: QueryResult<T>) => true | false | string;
  /** Retry results that failed (not only those that failed validation). @defaultValue true */
  readonly retryFailures?: boolean;
  /** Told before each retry. */
  readonly onRetry?: (attempt: number, reason: string) => void;
}

/** A result of {@link withRetry}: the last attempt's, with how many it took. */
export type RetriedResult<T> = QueryResult<T> & { readonly patternAttempts: number };

/**
 * Retries a step beyond the query's own retries: when its result fails, or when `validate`
 * rejects the output (then the next attempt gets the rejection as `feedback`). Works for any
 * step that produces a query result: a single query, a pipeline's last step, a fallback.
 * When `run` throws a library error that is not retryable (`runtime.query` refusing an invalid
 * prompt or option), the result is that failure, not retried: the call would be refused again.
 *
 * @example
 * const result = await withRetry(
 *   ({ feedback }) => runtime.query(feedback ? `${prompt}\n\nFix: ${feedback}` : prompt).result,
 *   { attempts: 3, validate: (r) => (r.text?.includes('{') ? true : 'answer with JSON') },
 * );
 */
export async function withRetry<T = unknown>(
  run: (attempt: RetryAttempt) => Promise<QueryResult<T>>,
  options: WithRetryOptions<T> = {},
): Promise<RetriedResult<T>> {
  const { attempts = 3, validate, retryFailures = true } = options;
  let previous: QueryResult<T> | undefined;
  let feedback: string | undefined;
  for (let n = 1; ; n++) {
    let result: QueryResult<T>;
    try {
      result = await run({ n, feedback, previous });
    } catch (error) {
      if (!isClaudeActorsError(error) || error.retryable) throw error;
      const queryId = previous?.queryId ?? 'with-retry';
      return { ...unfinishedResult({ queryId, status: 'failed', error }), patternAttempts: n };
    }
    let rejection: string | undefined;
    if (result.status === 'cancelled') return { ...result, patternAttempts: n };
    if (result.status === 'failed') {
      if (!retryFailures) return { ...result, patternAttempts: n };
      rejection = result.error?.message ?? 'the query failed';
    } else if (validate) {
      const verdict = validate(result);
      if (verdict !== true) rejection = verdict === false ? 'the output was rejected' : verdict;
    }
    if (rejection === undefined) return { ...result, patternAttempts: n };
    if (n >= attempts) {
      const error =
        result.status === 'failed'
          ? result.error
          : new QueryFailedError({ subtype: 'validation', detail: rejection }, { attempt: n });
      return { ...result, status: 'failed', error, patternAttempts: n };
    }
    options.onRetry?.(n, rejection);
    previous = result;
    feedback = rejection;
  }
}
