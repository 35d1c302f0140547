/**
 * Waits for a promise chain that may grow while it is awaited: awaits `tail()` until a wait
 * ends with no newer link behind it, so work queued by earlier work is waited for too.
 * @param tail - The chain's current last link (read again after each wait): the same promise
 *   until a link is added (a new promise at each call never settles the wait).
 * @example
 * ```ts
 * let writes = Promise.resolve();
 * const enqueue = (write: () => Promise<void>) => { writes = writes.then(write); };
 * await drainGrowingChain(() => writes); // every write, those queued meanwhile included
 * ```
 */
export async function drainGrowingChain(tail: () => Promise<unknown>): Promise<void> {
  for (let last = tail(); ; last = tail()) {
    await last;
    if (last === tail()) return;
  }
}
