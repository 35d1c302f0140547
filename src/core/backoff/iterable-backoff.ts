import type { Backoff } from './backoff.js';

/**
 * Delays taken from a list in order (cockatiel's `IterableBackoff`); after the last one, the
 * last one again.
 *
 * @param delaysMs - At least one delay, in ms.
 * @throws RangeError when the list is empty.
 * @example
 * ```ts
 * const first = iterableBackoff([100, 1_000]).next();
 * first.delayMs; // 100
 * first.next.next().next.next().delayMs; // 1000
 * ```
 */
export function iterableBackoff<C = void>(delaysMs: readonly number[]): Backoff<C> {
  if (delaysMs.length === 0) throw new RangeError('Expected at least one delay, got `[]` (array)');
  const delays = [...delaysMs];
  const at = (index: number): Backoff<C> => ({
    next: () => ({
      delayMs: delays[index]!,
      next: index + 1 < delays.length ? at(index + 1) : at(index),
    }),
  });
  return at(0);
}
