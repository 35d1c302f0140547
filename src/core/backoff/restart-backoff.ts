import type { Backoff } from './backoff.js';
import { exponentialBackoff } from './exponential-backoff.js';
import { type ResetContext, resettingBackoff } from './resetting-backoff.js';

/** Restart with backoff (beyond OTP, as Akka Typed's `restartWithBackoff`). */
export interface RestartBackoffOptions {
  /** Delay of the first restart, ms. */
  readonly minMs: number;
  /** Upper bound of the delay, ms. */
  readonly maxMs: number;
  /** Up to this fraction of the delay is added at random. @defaultValue 0 */
  readonly randomFactor?: number;
  /** A child that ran this long without failing starts again from `minMs`. @defaultValue maxMs */
  readonly resetAfterMs?: number;
}

/**
 * A supervisor's restart backoff, Akka Typed's `restartWithBackoff`: delays double from `minMs`
 * up to `maxMs`, plus up to `randomFactor` of extra delay, and start again from `minMs` once a
 * child has run for `resetAfterMs` without failing.
 *
 * @param random - A source in [0, 1); injected so tests are deterministic.
 * @example
 * ```ts
 * const backoff = restartBackoff({ minMs: 100, maxMs: 1_000, randomFactor: 0, resetAfterMs: 1_000 });
 * backoff.next({ ranMs: 10 }).delayMs; // 100
 * ```
 */
export function restartBackoff(
  options: Required<RestartBackoffOptions>,
  random: () => number = Math.random,
): Backoff<ResetContext> {
  const { minMs, maxMs, randomFactor, resetAfterMs } = options;
  return resettingBackoff(
    exponentialBackoff({
      initialMs: minMs,
      maxMs,
      multiplier: 2,
      jitter: { kind: 'extra', factor: randomFactor },
      random,
    }),
    resetAfterMs,
  );
}
