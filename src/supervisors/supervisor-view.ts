import type { AnyActorRef } from 'xstate';
import { countSince } from './supervisor-context.js';
import type { SupervisorState } from './supervisor-state.js';
import type { ChildCounts, ChildInfo, ChildType } from './types.js';
import { countChildren, whichChildren } from './which-children.js';

/** One child of a supervisor with its current actor, in start order. */
export interface SupervisedChild {
  readonly id: string;
  readonly type: ChildType;
  readonly status: 'running' | 'restarting' | 'terminated';
  /** The current actor; `undefined` while restarting or terminated. */
  readonly ref: AnyActorRef | undefined;
  /** Restarts caused by this child's failures. */
  readonly restarts: number;
}

/**
 * What readers of a supervisor's snapshot (`snapshot.view`) may ask of it, read from its
 * working state when asked: a supervisor of 100,000 children makes a snapshot per event and
 * must not copy its children each time. One view per supervisor actor; it is not persisted
 * (`getPersistedSnapshot` writes `context`), and `JSON.stringify` shows it as the context.
 */
export class SupervisorView {
  /** @internal The supervisor's working state (mutable, owned by its `SupervisorRun`). */
  readonly state: SupervisorState;

  /** @internal */
  constructor(state: SupervisorState) {
    this.state = state;
  }

  /** OTP `which_children/1`: every child in reverse start order, with its actor or state. */
  whichChildren(): ChildInfo[] {
    return whichChildren(this.state);
  }

  /** OTP `count_children/1`. */
  countChildren(): ChildCounts {
    return countChildren(this.state);
  }

  /** The children in start order, with their current actors. */
  children(): SupervisedChild[] {
    const rows: SupervisedChild[] = [];
    for (const child of this.state.childById.values()) {
      rows.push({
        id: child.id,
        type: child.spec.type,
        status: child.status,
        ref: child.ref,
        restarts: child.restarts,
      });
    }
    return rows;
  }

  /** Restarts counted against the intensity at `now` (epoch ms). */
  restartsInPeriod(now: number = Date.now()): number {
    return countSince(this.state.restartTimes, now - this.state.flags.periodMs);
  }

  /** A short form for logs and inspectors: the live actors are not serialised. */
  toJSON(): { readonly supervisor: string; readonly children: number } {
    return { supervisor: this.state.flags.strategy, children: this.state.childById.size };
  }
}

/**
 * The view of a supervisor actor's snapshot, or `undefined` for any other actor: what tells a
 * supervisor apart (it understands `SHUTDOWN_EVENT`, its tree can be walked).
 */
export function supervisorViewOf(snapshot: unknown): SupervisorView | undefined {
  const view = (snapshot as { view?: unknown } | undefined)?.view;
  return view instanceof SupervisorView ? view : undefined;
}
