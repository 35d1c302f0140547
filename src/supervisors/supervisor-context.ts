import type { SupervisorState } from './supervisor-state.js';
import type { ChildType, Strategy } from './types.js';

/** One child in a supervisor's snapshot. */
export interface SupervisedChildView {
  readonly id: string;
  readonly type: ChildType;
  readonly status: 'running' | 'restarting' | 'terminated';
  /** Id of the current actor (`id`, `id:2`, … as it is restarted). */
  readonly actorId: string | undefined;
  /** Restarts caused by this child's failures. */
  readonly restarts: number;
}

/** What a supervisor's snapshot shows (`snapshot.context`), e.g. in the XState inspector. */
export interface SupervisorContext {
  readonly strategy: Strategy;
  readonly phase: 'starting' | 'running' | 'shutting_down';
  /** Children in start order. */
  readonly children: readonly SupervisedChildView[];
  /** Restarts counted against the intensity right now. */
  readonly restartsInPeriod: number;
  readonly totalRestarts: number;
}

/** The children of a supervisor's working state, in start order. */
function childRows(state: SupervisorState): SupervisedChildView[] {
  const rows: SupervisedChildView[] = [];
  for (const c of state.childById.values()) {
    rows.push({
      id: c.id,
      type: c.spec.type,
      status: c.status,
      actorId: c.ref?.id,
      restarts: c.restarts,
    });
  }
  return rows;
}

/**
 * @internal Restart times at or after `since`; `times` is sorted, so a binary search finds
 * the cut.
 */
export function countSince(times: readonly number[], since: number): number {
  let low = 0;
  let high = times.length;
  while (low < high) {
    const mid = (low + high) >>> 1;
    if (times[mid]! < since) low = mid + 1;
    else high = mid;
  }
  return times.length - low;
}

/**
 * @internal The context a supervisor's snapshot shows for its working state right now. A
 * supervisor makes a snapshot per event, so `children` (a walk over every child) is an own,
 * enumerable getter computed when read: a supervisor of 100,000 children must not copy them
 * per event. It is a plain object otherwise (spread, `structuredClone`, `JSON.stringify` and
 * `toEqual` see every field); `children` shows the children when it is read.
 */
export function supervisorContext(state: SupervisorState): SupervisorContext {
  return {
    strategy: state.flags.strategy,
    phase: state.phase,
    get children() {
      return childRows(state);
    },
    restartsInPeriod: countSince(state.restartTimes, Date.now() - state.flags.periodMs),
    totalRestarts: state.totalRestarts,
  };
}

/** @internal A context as a plain object (for persistence): every getter read once. */
export function plainContext(context: SupervisorContext): SupervisorContext {
  return {
    strategy: context.strategy,
    phase: context.phase,
    children: context.children,
    restartsInPeriod: context.restartsInPeriod,
    totalRestarts: context.totalRestarts,
  };
}
