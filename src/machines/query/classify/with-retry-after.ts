import type { ClaudeActorsError } from '../../../core/errors/claude-actors-error.js';
import { ApiError } from '../errors/api-error.js';

/**
 * A rate-limit {@link ApiError} without a `retry-after` gets the wait the CLI announced earlier
 * in the same attempt (an `api_retry`'s `retry_delay_ms`, a rejected `rate_limit_event`'s
 * `resetsAt`), so the retry backoff and the limiter's pause honour it instead of guessing.
 * Any other error is returned as it is.
 */
export function withRetryAfter(
  error: ClaudeActorsError | undefined,
  retryAfterMs: number | undefined,
): ClaudeActorsError | undefined {
  if (!(error instanceof ApiError) || retryAfterMs === undefined) return error;
  if (error.retryAfterSec !== undefined || error.status !== 429) return error;
  const carried = new ApiError(
    {
      status: error.status,
      errorType: error.errorType,
      retryAfterSec: Math.max(0, retryAfterMs) / 1000,
    },
    { queryId: error.queryId, attempt: error.attempt, pid: error.pid },
  );
  // Same message as the original (its detail included); only the wait is added.
  carried.message = error.message;
  return carried;
}
