import { delayAt } from './backoff.js';
import { retryBackoff } from './retry-backoff.js';
import type { RetryPolicy } from './retry-policy.js';

/**
 * The delay before attempt `failedAttempt + 1`: the `failedAttempt`-th delay of the policy's
 * {@link retryBackoff}. A server's `retry-after` is a floor, never shortened by jitter.
 *
 * @param failedAttempt - the attempt that just failed, 1-based
 * @param random - a source in [0, 1); injected so tests are deterministic
 */
export function computeBackoff(
  policy: RetryPolicy,
  failedAttempt: number,
  random: () => number = Math.random,
  retryAfterMs?: number,
): number {
  const delay = delayAt(retryBackoff(policy, random), Math.max(1, failedAttempt), undefined);
  return retryAfterMs === undefined ? delay : Math.max(delay, retryAfterMs);
}
