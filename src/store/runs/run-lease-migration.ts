import type { Migration } from '../sqlite/migration.js';

/**
 * Migration 5: `run_leases`, the host holding each journalled run (pid, start time, boot id,
 * pid namespace, hostname), its token and heartbeat. No row: nobody holds the run. It goes
 * with its run.
 */
export const runLeaseMigration: Migration = {
  version: 5,
  name: 'run leases',
  up: (db) => {
    db.exec(`
      CREATE TABLE run_leases (
        run_id TEXT PRIMARY KEY REFERENCES runs (run_id) ON DELETE CASCADE,
        token TEXT NOT NULL,
        owner_pid INTEGER NOT NULL,
        owner_start_time INTEGER,
        owner_boot_id TEXT,
        owner_pid_ns TEXT,
        owner_host TEXT NOT NULL,
        acquired_at INTEGER NOT NULL,
        renewed_at INTEGER NOT NULL,
        expires_at INTEGER NOT NULL
      );
    `);
  },
};

/**
 * Migration 6: `run_leases.owner_machine_id`, the owner's `/etc/machine-id` (`NULL` for the
 * leases taken before, and on machines without one).
 */
export const runLeaseMachineIdMigration: Migration = {
  version: 6,
  name: 'run lease machine id',
  up: (db) => {
    db.exec('ALTER TABLE run_leases ADD COLUMN owner_machine_id TEXT');
  },
};
