import { createMemoryProcessRecordStore } from './processes/memory-process-record-store.js';
import { memoryRunJournal } from './runs/memory-run-journal.js';
import { memorySessionStore } from './sessions/memory-session-store.js';
import { memoryStateStore } from './state/memory-state-store.js';
import type { Store } from './store.js';

/**
 * A {@link Store} in memory: the same behaviour as the SQLite store, gone with the process.
 * For tests, and for runs that need no durability.
 */
export function createMemoryStore(): Store {
  return {
    kind: 'memory',
    location: undefined,
    state: memoryStateStore(),
    processes: createMemoryProcessRecordStore(),
    sessions: memorySessionStore(),
    runs: memoryRunJournal(),
    close: async () => {},
  };
}
