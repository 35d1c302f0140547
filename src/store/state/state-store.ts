/**
 * Small named JSON values a runtime keeps across processes: the budget spent, a limiter's
 * pause until a usage-limit reset. Keys are namespaced by their owner (`budget:<name>`,
 * `limiter:<name>`); values are whatever `JSON.stringify` keeps. The caller validates what it
 * reads back (a file may be older or edited).
 */
export interface StateStore {
  /** The value stored at `key`, or `undefined`. */
  get(key: string): Promise<unknown>;
  /** Stores `value` at `key` (replacing it), committed when the promise settles. */
  set(key: string, value: unknown): Promise<void>;
  /** Removes `key`; nothing when absent. */
  delete(key: string): Promise<void>;
  /** Every entry whose key starts with `prefix`, by key. */
  list(prefix: string): Promise<ReadonlyArray<{ readonly key: string; readonly value: unknown }>>;
}
