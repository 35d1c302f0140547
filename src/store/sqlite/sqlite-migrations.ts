import { sessionStoreMigration } from '../sessions/session-store-migration.js';
import { stateMigration } from '../state/state-migration.js';
import type { Migration } from './migration.js';

/**
 * Placeholder for migration 2 (the run journal, from another branch): replaced by the
 * journal's migration when the branches are merged. TODO(merge): remove.
 */
const runJournalPlaceholder: Migration = { version: 2, name: 'run journal', up: () => {} };

/**
 * The store's schema, oldest first. Append only: a released migration never changes.
 * Each domain's tables come from its own migration file.
 */
export const SQLITE_MIGRATIONS: readonly Migration[] = [
  stateMigration,
  runJournalPlaceholder,
  sessionStoreMigration,
];
