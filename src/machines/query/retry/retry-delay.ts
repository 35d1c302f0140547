import { computeBackoff } from '../../../core/backoff/compute-backoff.js';
import type { RetryPolicy } from '../../../core/backoff/retry-policy.js';
import { isClaudeActorsError } from '../../../core/errors/claude-actors-error.js';

/**
 * The delay before retrying after `error`: the policy's backoff for the attempt that failed,
 * and never less than the `retry-after` the API sent with it, nor than the time left until an
 * open circuit breaker lets a probe through: whatever the error's `retryAfterMs` says.
 */
export function retryDelay(
  policy: RetryPolicy,
  failedAttempt: number,
  error: unknown,
  random: () => number = Math.random,
  now: () => number = Date.now,
): number {
  const retryAfterMs = isClaudeActorsError(error) ? error.retryAfterMs(now()) : undefined;
  return computeBackoff(policy, failedAttempt, random, retryAfterMs);
}
