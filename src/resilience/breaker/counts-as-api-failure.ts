import { ApiError, isTransientStatus } from '../../errors/api-error.js';
import { ProcessExitedError } from '../../errors/process-exited-error.js';
import { TimeoutError } from '../../errors/timeout-error.js';

/**
 * Whether a query's error says the Anthropic API (or the way to it) is failing, so it counts
 * towards opening the circuit breaker:
 *
 * - {@link ApiError} with a transient status (429 after the CLI's own retries, 408, 409, 5xx,
 *   529 overload) or none (a connection that failed or dropped);
 * - {@link TimeoutError} of kind `idle`: the stream stalled, most often on a dead connection;
 * - {@link ProcessExitedError} by a signal: the CLI was killed mid-request.
 *
 * Everything else is the caller's or the machine's problem, not the API's, and must not open
 * the breaker: invalid options, a `QueryFailedError` (max turns, max budget), any other 4xx
 * (bad request, authentication), a total timeout, a cancelled query, a missing executable,
 * and errors this library did not classify.
 */
export function countsAsApiFailure(error: unknown): boolean {
  if (error instanceof ApiError) return isTransientStatus(error.status);
  if (error instanceof TimeoutError) return error.kind === 'idle';
  if (error instanceof ProcessExitedError) return error.signal !== undefined;
  return false;
}
