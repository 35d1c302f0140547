import type { Database } from 'better-sqlite3';
import { StoreError } from '../errors/store-error.js';
import type { Migration } from './migration.js';

/** What {@link migrate} did. */
export interface MigrateResult {
  /** The schema version before. 0 for a new file. */
  readonly from: number;
  /** The schema version now. */
  readonly to: number;
  readonly applied: readonly string[];
}

/**
 * Brings `db` to the newest schema: each pending migration runs in a transaction of its own
 * and is recorded in `schema_migrations` (version, name, applied_at), so a process killed
 * mid-migration leaves the previous version intact. Concurrent openers are serialised by
 * `BEGIN IMMEDIATE` and re-read the version inside the lock.
 *
 * @throws {@link StoreError} `STORE_FAILED` when the file has a version newer than this code
 *   knows (written by a newer claude-actors) or the list is not numbered 1, 2, 3...
 */
export function migrate(
  db: Database,
  migrations: readonly Migration[],
  location?: string,
): MigrateResult {
  migrations.forEach((migration, index) => {
    if (migration.version !== index + 1) {
      throw new StoreError(
        'STORE_FAILED',
        `Store migration \`${migration.name}\` has version ${migration.version}, expected ${index + 1}`,
        { location },
      );
    }
  });
  db.exec(
    'CREATE TABLE IF NOT EXISTS schema_migrations (' +
      'version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at INTEGER NOT NULL)',
  );
  const current = (): number =>
    (db.prepare('SELECT max(version) AS v FROM schema_migrations').get() as { v: number | null })
      .v ?? 0;
  const from = current();
  if (from > migrations.length) {
    throw new StoreError(
      'STORE_FAILED',
      `The store ${location ?? ''} has schema version ${from}, newer than this version of ` +
        `claude-actors knows (${migrations.length}): open it with a newer claude-actors, or ` +
        'use another store file.',
      { location },
    );
  }
  // The same version must be the same step: a file from another build of the schema is refused.
  const recorded = db
    .prepare('SELECT version, name FROM schema_migrations ORDER BY version')
    .all() as { version: number; name: string }[];
  for (const { version, name } of recorded) {
    const known = migrations[version - 1];
    if (known && known.name !== name) {
      throw new StoreError(
        'STORE_FAILED',
        `The store ${location ?? ''} has schema step ${version} \`${name}\` where this version ` +
          `of claude-actors has \`${known.name}\`: it was written by another build. Use another ` +
          'store file.',
        { location },
      );
    }
  }
  const applied: string[] = [];
  const record = db.prepare(
    'INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)',
  );
  for (const migration of migrations.slice(from)) {
    const step = db.transaction(() => {
      // Another process may have applied it while this one waited for the lock.
      if (current() >= migration.version) return;
      migration.up(db);
      record.run(migration.version, migration.name, Date.now());
      applied.push(migration.name);
    });
    step.immediate();
  }
  return { from, to: current(), applied };
}
