import { resolve } from 'node:path';
import { sqliteRunJournal } from './runs/sqlite-run-journal.js';
import { openSqliteDatabase } from './sqlite/open-sqlite-database.js';
import { SQLITE_MIGRATIONS } from './sqlite/sqlite-migrations.js';
import { sqliteStateStore } from './state/sqlite-state-store.js';
import type { Store } from './store.js';

/** Options of {@link openSqliteStore}. */
export interface OpenSqliteStoreOptions {
  /** How long a write waits for another process's lock, ms. @defaultValue 5000 */
  readonly busyTimeoutMs?: number;
}

/**
 * Opens the SQLite store at `path` (created with its folder when missing; WAL mode; migrated
 * to the newest schema). Several processes may open the same file.
 *
 * @throws {@link StoreError} when better-sqlite3 cannot load, the file is not a store, or its
 *   schema is newer than this version.
 * @example
 * ```ts
 * const store = openSqliteStore('claude-actors-output/store.db');
 * const run = runTaskQueue(runtime, plan, { store, resume: true });
 * ```
 */
export function openSqliteStore(path: string, options: OpenSqliteStoreOptions = {}): Store {
  const location = path === ':memory:' ? path : resolve(path);
  const db = openSqliteDatabase(location, {
    migrations: SQLITE_MIGRATIONS,
    busyTimeoutMs: options.busyTimeoutMs,
  });
  return {
    kind: 'sqlite',
    location,
    state: sqliteStateStore(db),
    runs: sqliteRunJournal(db, location),
    close: async () => {
      if (db.open) db.close();
    },
  };
}
