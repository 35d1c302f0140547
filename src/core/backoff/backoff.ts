/**
 * One delay of a {@link Backoff}, and the backoff to ask for the delay after it.
 */
export interface BackoffStep<C = void> {
  /** How long to wait, in ms. */
  readonly delayMs: number;
  /** The backoff for the failure after this one; the one asked is left as it was. */
  readonly next: Backoff<C>;
}

/**
 * A sequence of delays between attempts, as cockatiel's `IBackoff`: immutable, so one value can
 * start any number of sequences (a retry policy shared by many queries, a restart backoff shared
 * by many children) and a sequence can be kept in state and resumed.
 *
 * @typeParam C - What the caller knows of the failure, e.g. how long a child ran
 *   ({@link ResetContext}); `void` for backoffs that need nothing.
 * @example
 * ```ts
 * const first = exponentialBackoff({ initialMs: 100, maxMs: 1_000 }).next();
 * first.delayMs; // 100
 * first.next.next().delayMs; // 200
 * ```
 */
export interface Backoff<C = void> {
  /** The delay before the next attempt, and the backoff after it. */
  next(context: C): BackoffStep<C>;
}

/**
 * The `n`-th delay of a backoff (1 for the first), for callers that keep a count rather than
 * the backoff itself (an attempt number, a breaker's openings in a row).
 *
 * @throws RangeError when `n` is not a positive integer.
 */
export function delayAt<C>(backoff: Backoff<C>, n: number, context: C): number {
  if (!Number.isInteger(n) || n < 1) {
    throw new RangeError(`Expected a positive integer step, got \`${n}\` (${typeof n})`);
  }
  let step = backoff.next(context);
  for (let i = 1; i < n; i++) step = step.next.next(context);
  return step.delayMs;
}
