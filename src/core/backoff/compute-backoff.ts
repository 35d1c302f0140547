import type { RetryPolicy } from './retry-policy.js';

/**
 * The delay before attempt `failedAttempt + 1`: exponential from `initialDelayMs`, capped at
 * `maxDelayMs`, with ±`jitter` randomisation so that many queries failing together do not
 * retry together. A server's `retry-after` is a floor, never shortened by jitter.
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
  const base = Math.min(
    policy.maxDelayMs,
    policy.initialDelayMs * policy.multiplier ** Math.max(0, failedAttempt - 1),
  );
  const jittered = base * (1 + policy.jitter * (2 * random() - 1));
  const delay = Math.round(Math.min(policy.maxDelayMs, Math.max(0, jittered)));
  return retryAfterMs === undefined ? delay : Math.max(delay, retryAfterMs);
}
