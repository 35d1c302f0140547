import type { Migration } from '../sqlite/migration.js';

/**
 * Migration 7: the transition log `run_task_transitions` rebuilt cheaper to append. Migration
 * 4 gave it an `AUTOINCREMENT` key (a `sqlite_sequence` page written at every commit) and an
 * index on `(run_id, task_id, seq)` whose entries scatter over many leaf pages per commit. Now
 * the table is clustered on `(run_id, seq)` (`WITHOUT ROWID`): an append writes the rightmost
 * leaf of its run's range and nothing else, and `seq` is the next number of the run's log
 * (`max(seq) + 1` of the run, read inside the write's transaction). A run's log is one range of
 * that key, read in order; a task's log is a filter of its run's range, bounded by that run.
 * The rows are copied with their `seq`, so every run keeps its entries and their order.
 */
export const runLogMigration: Migration = {
  version: 7,
  name: 'run log clustered by run',
  up: (db) => {
    db.exec(`
      CREATE TABLE run_task_log (
        run_id TEXT NOT NULL REFERENCES runs (run_id) ON DELETE CASCADE,
        seq INTEGER NOT NULL,
        task_id TEXT NOT NULL,
        event TEXT NOT NULL,
        status TEXT NOT NULL,
        at INTEGER NOT NULL,
        attempts INTEGER NOT NULL,
        query_id TEXT,
        session_id TEXT,
        cost_usd REAL NOT NULL,
        error TEXT,
        PRIMARY KEY (run_id, seq)
      ) WITHOUT ROWID;
      INSERT INTO run_task_log (run_id, seq, task_id, event, status, at, attempts, query_id,
          session_id, cost_usd, error)
        SELECT run_id, seq, task_id, event, status, at, attempts, query_id, session_id,
          cost_usd, error
        FROM run_task_transitions ORDER BY run_id, seq;
      DROP TABLE run_task_transitions;
      ALTER TABLE run_task_log RENAME TO run_task_transitions;
    `);
  },
};
