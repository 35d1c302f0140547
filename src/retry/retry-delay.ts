import { ApiError } from '../errors/api-error.js';
import { CircuitOpenError } from '../resilience/errors/circuit-open-error.js';
import { computeBackoff } from './compute-backoff.js';
import type { RetryPolicy } from './retry-policy.js';

/**
 * The delay before retrying after `error`: the policy's backoff for the attempt that failed,
 * and never less than the `retry-after` the API sent with it, nor than the time left until an
 * open circuit breaker lets a probe through (`now` is for that one).
 */
export function retryDelay(
  policy: RetryPolicy,
  failedAttempt: number,
  error: unknown,
  random: () => number = Math.random,
  now: () => number = Date.now,
): number {
  const retryAfterMs =
    error instanceof ApiError && error.retryAfterSec !== undefined
      ? error.retryAfterSec * 1000
      : error instanceof CircuitOpenError && error.retryAt !== undefined
        ? Math.max(0, error.retryAt - now())
        : undefined;
  return computeBackoff(policy, failedAttempt, random, retryAfterMs);
}
