import type { Migration } from '../sqlite/migration.js';

/**
 * Migration 3: the `sessions` table of the {@link SessionStore} and its tags. The first prompt
 * is searched as a substring of a case-folded copy (`first_prompt_folded`, `instr`): at a
 * few thousand sessions a scan takes well under a millisecond (see bench/session-store.ts),
 * so no full-text index is kept.
 */
export const sessionStoreMigration: Migration = {
  version: 3,
  name: 'sessions',
  up: (db) => {
    db.exec(`
      CREATE TABLE sessions (
        id TEXT PRIMARY KEY,
        kind TEXT NOT NULL,
        key TEXT NOT NULL,
        tags TEXT NOT NULL,
        model TEXT,
        cwd TEXT,
        created_at INTEGER NOT NULL,
        updated_at INTEGER NOT NULL,
        turns INTEGER NOT NULL,
        cost_usd REAL NOT NULL,
        tokens TEXT NOT NULL,
        status TEXT NOT NULL,
        first_prompt TEXT NOT NULL,
        first_prompt_folded TEXT NOT NULL,
        error_code TEXT
      );
      CREATE INDEX sessions_created_at ON sessions (created_at);
      CREATE INDEX sessions_updated_at ON sessions (updated_at);
      CREATE INDEX sessions_cost_usd ON sessions (cost_usd);
      CREATE TABLE session_tags (
        session_id TEXT NOT NULL REFERENCES sessions (id) ON DELETE CASCADE,
        tag TEXT NOT NULL,
        PRIMARY KEY (tag, session_id)
      ) WITHOUT ROWID;
      CREATE INDEX session_tags_session ON session_tags (session_id);
    `);
  },
};
