/**
 * The store file the `sessions` commands read when `--store` is not given, relative to the
 * current directory: one store for every run and query started from this folder.
 */
export const DEFAULT_STORE_FILE = 'claude-actors-output/store.db';
