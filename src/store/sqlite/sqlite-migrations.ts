import { runJournalMigration } from '../runs/run-journal-migration.js';
import { stateMigration } from '../state/state-migration.js';
import type { Migration } from './migration.js';

/**
 * The store's schema, oldest first. Append only: a released migration never changes.
 * Each domain's tables come from its own migration file.
 */
export const SQLITE_MIGRATIONS: readonly Migration[] = [stateMigration, runJournalMigration];
