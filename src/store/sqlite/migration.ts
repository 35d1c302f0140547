import type { Database } from 'better-sqlite3';

/**
 * One step of the store's schema. Versions are consecutive from 1, in the order of
 * `SQLITE_MIGRATIONS`; a released migration never changes (add a new one instead).
 */
export interface Migration {
  readonly version: number;
  /** What it does, recorded with it: `run journal`, `sessions`. */
  readonly name: string;
  /** Runs inside the migration's transaction. */
  readonly up: (db: Database) => void;
}
