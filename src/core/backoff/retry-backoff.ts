import type { Backoff } from './backoff.js';
import { exponentialBackoff } from './exponential-backoff.js';
import type { RetryPolicy } from './retry-policy.js';

/**
 * The delays between a query's attempts: exponential from `initialDelayMs` by `multiplier`,
 * capped at `maxDelayMs`, with ±`jitter` randomisation so that many queries failing together
 * do not retry together.
 *
 * @param random - A source in [0, 1); injected so tests are deterministic.
 */
export function retryBackoff(policy: RetryPolicy, random: () => number = Math.random): Backoff {
  return exponentialBackoff({
    initialMs: policy.initialDelayMs,
    maxMs: policy.maxDelayMs,
    multiplier: policy.multiplier,
    jitter: { kind: 'spread', factor: policy.jitter },
    random,
  });
}
