import type { ChildRecord } from '../supervisor-state.js';

/** What a strategy does when a child must be restarted. */
export interface RestartPlan {
  /** Running siblings to terminate first, in this order (reverse start order). */
  readonly terminate: readonly ChildRecord[];
  /** Children to restart afterwards, in start order (the failed one included). */
  readonly restart: readonly ChildRecord[];
}

/**
 * A restart strategy: given the children by id in start order and the one that failed. Only the
 * strategies that need the siblings walk them, so a one_for_one restart is O(1).
 */
export type RestartStrategy = (
  children: ReadonlyMap<string, ChildRecord>,
  failed: ChildRecord,
) => RestartPlan;
