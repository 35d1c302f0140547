import type { Migration } from '../sqlite/migration.js';

/**
 * The `processes` table of the process registry (see `ProcessRecordStore`): one row per
 * running CLI, keyed by pid and start time, found by host.
 */
export const processRecordsMigration: Migration = {
  version: 2,
  name: 'processes',
  up: (db) => {
    db.exec(
      'CREATE TABLE processes (' +
        'pid INTEGER NOT NULL, start_time INTEGER NOT NULL, marker TEXT, ' +
        'host_pid INTEGER NOT NULL, host_start_time INTEGER NOT NULL, boot_id TEXT, pid_ns TEXT, ' +
        'recorded_at INTEGER NOT NULL, PRIMARY KEY (pid, start_time))',
    );
    db.exec('CREATE INDEX processes_by_host ON processes (host_pid, host_start_time)');
  },
};
