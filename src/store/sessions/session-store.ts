import type { SessionFilter } from './session-filter.js';
import type { SessionRecord } from './session-record.js';

/** What {@link SessionStore.list} found: one page, and how many match in all. */
export interface SessionPage {
  readonly sessions: readonly SessionRecord[];
  /** Every match, ignoring `limit` and `offset`. */
  readonly total: number;
}

/**
 * The sessions a runtime ran (queries and multi-turn sessions), to find, show, continue and
 * clean up later. Records are keyed by the CLI's session id; every write replaces the whole
 * record and commits before the promise settles.
 */
export interface SessionStore {
  /**
   * Stores `record` under its id, replacing an earlier one. The first prompt is redacted and
   * cut to `FIRST_PROMPT_MAX_LENGTH`.
   *
   * @throws {@link InvalidOptionsError} naming the invalid field.
   */
  put(record: SessionRecord): Promise<void>;
  /** The record of session `id`, or `undefined`. */
  get(id: string): Promise<SessionRecord | undefined>;
  /**
   * The records matching `filter`, ordered (by default newest first) and paged.
   *
   * @throws {@link InvalidOptionsError} naming the invalid filter field.
   */
  list(filter?: SessionFilter): Promise<SessionPage>;
  /** Removes session `id`; `false` when there was none. */
  delete(id: string): Promise<boolean>;
  /**
   * Removes every session last written before `olderThan` (ms since the epoch, or a `Date`).
   *
   * @returns How many were removed.
   * @throws {@link InvalidOptionsError} when `olderThan` is not a valid date.
   */
  cleanup(options: { readonly olderThan: number | Date }): Promise<number>;
}
