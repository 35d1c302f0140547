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

/**
 * The context of one snapshot. A supervisor makes a snapshot per event, so what would cost a
 * walk over its children (`children`) or its restart times (`restartsInPeriod`) is computed
 * when read, by getters on the prototype: a supervisor of 100,000 children must not copy them
 * (nor define a property) per event. `toJSON` gives the plain object, for inspectors and
 * persistence.
 */
class SupervisorContextView implements SupervisorContext {
  readonly strategy: Strategy;
  readonly phase: 'starting' | 'running' | 'shutting_down';
  readonly totalRestarts: number;
  readonly #state: SupervisorState;

  constructor(state: SupervisorState) {
    this.#state = state;
    this.strategy = state.flags.strategy;
    this.phase = state.phase;
    this.totalRestarts = state.totalRestarts;
  }

  get children(): readonly SupervisedChildView[] {
    const rows: SupervisedChildView[] = [];
    for (const c of this.#state.childById.values()) {
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

  get restartsInPeriod(): number {
    const since = Date.now() - this.#state.flags.periodMs;
    let count = 0;
    for (const t of this.#state.restartTimes) if (t >= since) count++;
    return count;
  }

  toJSON(): SupervisorContext {
    return plainContext(this);
  }
}

/** @internal The context a supervisor's snapshot shows for its working state right now. */
export function supervisorContext(state: SupervisorState): SupervisorContext {
  return new SupervisorContextView(state);
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
