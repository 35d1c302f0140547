import { memoryRunJournal } from './runs/memory-run-journal.js';
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
    runs: memoryRunJournal(),
    close: async () => {},
  };
}
