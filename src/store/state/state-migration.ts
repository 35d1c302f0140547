import type { Migration } from '../sqlite/migration.js';

/** Migration 1: the `state` table of {@link StateStore}s. */
export const stateMigration: Migration = {
  version: 1,
  name: 'state',
  up: (db) => {
    db.exec(
      'CREATE TABLE state (key TEXT PRIMARY KEY, value TEXT NOT NULL, updated_at INTEGER NOT NULL)',
    );
  },
};
