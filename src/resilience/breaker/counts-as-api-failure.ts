import { ApiError, isTransientStatus } from '../../machines/query/errors/api-error.js';
import { TimeoutError } from '../../machines/query/errors/timeout-error.js';
import { ProcessExitedError } from '../../process/errors/process-exited-error.js';

const RATE_LIMIT = /rate.?limit/i;

/**
 * Whether a query's error says the Anthropic API (or the way to it) is failing, so it counts
 * towards opening the circuit breaker:
 *
 * - {@link ApiError} with a transient status other than 429 (408, 409, 5xx, 529 overload) or
 *   none (a connection that failed or dropped);
 * - {@link TimeoutError} of kind `idle`: the stream stalled, most often on a dead connection;
 * - {@link ProcessExitedError} by a signal: the CLI was killed mid-request.
 *
 * A 429 (`rate_limit`) is backpressure, not a fault of the service: the rate limiter pauses for
 * it, and it never opens the breaker (a storm of them would otherwise fail every queued query
 * with `CIRCUIT_OPEN`). Pass your own `isApiFailure` to count it.
 *
 * Everything else is the caller's or the machine's problem, not the API's, and must not open
 * the breaker: missing credentials, invalid options, a `QueryFailedError` (max turns, max budget), any other 4xx
 * (bad request, authentication), a total timeout, a cancelled query, a missing executable,
 * and errors this library did not classify.
 */
export function countsAsApiFailure(error: unknown): boolean {
  if (error instanceof ApiError) {
    if (error.status === 429 || RATE_LIMIT.test(error.errorType ?? '')) return false;
    return isTransientStatus(error.status);
  }
  if (error instanceof TimeoutError) return error.kind === 'idle';
  if (error instanceof ProcessExitedError) return error.signal !== undefined;
  return false;
}
