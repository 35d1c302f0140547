import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import type { Database } from 'better-sqlite3';
import { StoreError } from '../errors/store-error.js';
import { loadSqliteDriver } from './load-sqlite-driver.js';
import { migrate } from './migrate.js';
import type { Migration } from './migration.js';

/** Pages the WAL grows to before a commit checkpoints it (see {@link openSqliteDatabase}). */
const WAL_AUTOCHECKPOINT_PAGES = 10_000;

/** Options of {@link openSqliteDatabase}. */
export interface OpenSqliteDatabaseOptions {
  /** The migrations to apply, in order. */
  readonly migrations: readonly Migration[];
  /** How long a write waits for another process's lock, ms. @defaultValue 5000 */
  readonly busyTimeoutMs?: number;
}

/**
 * Opens (creating it and its folder when missing) a SQLite file in WAL mode, with
 * `synchronous = NORMAL` (a committed transaction survives the process being killed; only a
 * power loss can take the last ones), foreign keys on and a busy timeout, then migrates it.
 * The WAL is checkpointed into the file every 10,000 pages (~40 MB) instead of SQLite's 1,000:
 * a store rewrites the same few pages (a run's task rows) at every commit, so a checkpoint
 * copies each of them once however many commits wrote it, and ten times fewer checkpoints run
 * on the writer's thread. Durability is the WAL's, not the checkpoint's: a committed
 * transaction is in the WAL either way. Closing the last connection still checkpoints and
 * removes the WAL.
 * `:memory:` opens a private in-memory database.
 *
 * @throws {@link StoreError} when the driver cannot load, the file is not a SQLite database,
 *   or its schema is newer than this code.
 */
export function openSqliteDatabase(path: string, options: OpenSqliteDatabaseOptions): Database {
  const Driver = loadSqliteDriver();
  let db: Database | undefined;
  try {
    if (path !== ':memory:') mkdirSync(dirname(path), { recursive: true });
    db = new Driver(path, { timeout: options.busyTimeoutMs ?? 5000 });
    db.pragma('journal_mode = WAL');
    db.pragma('synchronous = NORMAL');
    db.pragma('foreign_keys = ON');
    db.pragma(`wal_autocheckpoint = ${WAL_AUTOCHECKPOINT_PAGES}`);
    migrate(db, options.migrations, path);
    return db;
  } catch (error) {
    db?.close();
    if (error instanceof StoreError) throw error;
    const message = error instanceof Error ? error.message : String(error);
    throw new StoreError(
      'STORE_FAILED',
      `Cannot open the store ${path}: ${message}. Use another file (\`--store\`) or remove ` +
        'this one if it is not a claude-actors store.',
      { location: path, cause: error },
    );
  }
}
