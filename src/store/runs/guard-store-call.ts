import { StoreError } from '../errors/store-error.js';

/**
 * Runs `work`, turning a driver failure into a {@link StoreError} `STORE_FAILED` saying what
 * the run journal could not do (`what`) and in which store; a StoreError passes as it is.
 * @param what - What was tried, as the end of "The run journal could not …" (a function: built
 *   only when the call fails, not at every write).
 * @param location - The store file, when there is one.
 * @throws {@link StoreError} `STORE_FAILED` when `work` throws.
 * @example
 * ```ts
 * const row = guardStoreCall(`read run \`${runId}\``, () => getRun.get(runId), location);
 * ```
 * @internal
 */
export function guardStoreCall<T>(
  what: string | (() => string),
  work: () => T,
  location?: string,
): T {
  try {
    return work();
  } catch (error) {
    if (error instanceof StoreError) throw error;
    const message = error instanceof Error ? error.message : String(error);
    throw new StoreError(
      'STORE_FAILED',
      `The run journal could not ${typeof what === 'string' ? what : what()}: ${message}${location ? ` (store ${location})` : ''}`,
      { location, cause: error },
    );
  }
}
