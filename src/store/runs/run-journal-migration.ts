import type { Migration } from '../sqlite/migration.js';

/**
 * Migration 4: the run journal's tables: `runs`, `run_tasks` (one row per task of a run,
 * replaced at each transition) and `run_task_transitions` (the append-only log; it outlives a
 * task dropped from a reconciled plan, not its run).
 */
export const runJournalMigration: Migration = {
  version: 4,
  name: 'run journal',
  up: (db) => {
    db.exec(`
      CREATE TABLE runs (
        run_id TEXT PRIMARY KEY,
        plan_key TEXT NOT NULL,
        plan_name TEXT,
        plan_hash TEXT NOT NULL,
        status TEXT NOT NULL,
        started_at INTEGER NOT NULL,
        finished_at INTEGER,
        updated_at INTEGER NOT NULL,
        resumes INTEGER NOT NULL DEFAULT 0,
        options TEXT NOT NULL
      );
      CREATE INDEX runs_by_plan ON runs (plan_key, started_at);
      CREATE TABLE run_tasks (
        run_id TEXT NOT NULL REFERENCES runs (run_id) ON DELETE CASCADE,
        task_id TEXT NOT NULL,
        position INTEGER NOT NULL,
        hash TEXT NOT NULL,
        status TEXT NOT NULL,
        attempts INTEGER NOT NULL,
        failures INTEGER NOT NULL,
        query_attempts INTEGER NOT NULL,
        query_id TEXT,
        session_id TEXT,
        cost_usd REAL NOT NULL,
        usage TEXT,
        output TEXT,
        error TEXT,
        error_code TEXT,
        worker TEXT,
        skipped_because TEXT,
        started_at INTEGER,
        finished_at INTEGER,
        updated_at INTEGER NOT NULL,
        PRIMARY KEY (run_id, task_id)
      );
      CREATE TABLE run_task_transitions (
        seq INTEGER PRIMARY KEY AUTOINCREMENT,
        run_id TEXT NOT NULL REFERENCES runs (run_id) ON DELETE CASCADE,
        task_id TEXT NOT NULL,
        event TEXT NOT NULL,
        status TEXT NOT NULL,
        at INTEGER NOT NULL,
        attempts INTEGER NOT NULL,
        query_id TEXT,
        session_id TEXT,
        cost_usd REAL NOT NULL,
        error TEXT
      );
      CREATE INDEX run_task_transitions_by_task ON run_task_transitions (run_id, task_id, seq);
    `);
  },
};
