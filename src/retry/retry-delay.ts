import { ApiError } from '../errors/api-error.js';
import { computeBackoff } from './compute-backoff.js';
import type { RetryPolicy } from './retry-policy.js';

/**
 * The delay before retrying after `error`: the policy's backoff for the attempt that failed,
 * and never less than the `retry-after` the API sent with it.
 */
export function retryDelay(
  policy: RetryPolicy,
  failedAttempt: number,
  error: unknown,
  random: () => number = Math.random,
): number {
  const retryAfterMs =
    error instanceof ApiError && error.retryAfterSec !== undefined
      ? error.retryAfterSec * 1000
      : undefined;
  return computeBackoff(policy, failedAttempt, random, retryAfterMs);
}
