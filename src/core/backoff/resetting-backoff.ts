import type { Backoff } from './backoff.js';

/** What a {@link resettingBackoff} is told of a failure. */
export interface ResetContext {
  /** How long the failed thing ran before it failed, ms. */
  readonly ranMs: number;
}

/**
 * A backoff that starts over from its first delay when the failed thing ran for `resetAfterMs`
 * or more: a child that stayed up a while is restarted quickly again (Akka's `resetBackoff`).
 *
 * @param backoff - The sequence to run, and to start over.
 * @example
 * ```ts
 * const backoff = resettingBackoff(exponentialBackoff({ initialMs: 100, maxMs: 1_000 }), 5_000);
 * const second = backoff.next({ ranMs: 10 }).next.next({ ranMs: 10 }); // 200 ms
 * second.next.next({ ranMs: 6_000 }).delayMs; // 100: it ran long enough
 * ```
 */
export function resettingBackoff(
  backoff: Backoff<void>,
  resetAfterMs: number,
): Backoff<ResetContext> {
  const from = (current: Backoff<void>): Backoff<ResetContext> => ({
    next: ({ ranMs }) => {
      const step = (ranMs >= resetAfterMs ? backoff : current).next();
      return { delayMs: step.delayMs, next: from(step.next) };
    },
  });
  return from(backoff);
}
