import { processRecordsMigration } from '../processes/process-records-migration.js';
import { runJournalMigration } from '../runs/run-journal-migration.js';
import { runLeaseMachineIdMigration, runLeaseMigration } from '../runs/run-lease-migration.js';
import { runLogMigration } from '../runs/run-log-migration.js';
import { sessionStoreMigration } from '../sessions/session-store-migration.js';
import { stateMigration } from '../state/state-migration.js';
import type { Migration } from './migration.js';

/**
 * The store's schema, oldest first. Append only: a released migration never changes.
 * Each domain's tables come from its own migration file.
 */
export const SQLITE_MIGRATIONS: readonly Migration[] = [
  stateMigration,
  processRecordsMigration,
  sessionStoreMigration,
  runJournalMigration,
  runLeaseMigration,
  runLeaseMachineIdMigration,
  runLogMigration,
];
