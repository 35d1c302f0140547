import type { RunJournal } from './runs/run-journal.js';
import type { StateStore } from './state/state-store.js';

/**
 * Where claude-actors keeps what must outlive a process: the run journal, sessions, the CLI
 * processes it started, a runtime's budget and limiter state. One interface, two backends
 * here ({@link openSqliteStore}: one SQLite file; {@link createMemoryStore}: for tests), and
 * room for a distributed one. Every method is async so a networked backend fits; the SQLite
 * backend commits each write before the call returns.
 */
export interface Store {
  /** `sqlite`, `memory`, or a third-party backend's name. */
  readonly kind: string;
  /** The file (SQLite) or address; `undefined` in memory. */
  readonly location: string | undefined;
  /** Named JSON values (budget spent, limiter pauses). */
  readonly state: StateStore;
  /** The task queue's run journal (runs, task states, transition log). */
  readonly runs: RunJournal;
  /** Closes the store; later calls fail. Idempotent. */
  close(): Promise<void>;
}
