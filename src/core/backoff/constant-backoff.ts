import type { Backoff } from './backoff.js';

/**
 * The same delay every time (cockatiel's `ConstantBackoff`), e.g. a breaker's fixed reset
 * timeout.
 *
 * @param delayMs - The delay, in ms.
 * @example
 * ```ts
 * constantBackoff(500).next().delayMs; // 500
 * ```
 */
export function constantBackoff<C = void>(delayMs: number): Backoff<C> {
  const backoff: Backoff<C> = { next: () => ({ delayMs, next: backoff }) };
  return backoff;
}
