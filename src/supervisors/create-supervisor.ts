import type {
  ActorLogic,
  ActorSystem,
  AnyActorScope,
  EventObject,
  NonReducibleUnknown,
  Snapshot,
} from 'xstate';
import { InvalidChildSpecError } from '../errors/invalid-child-spec-error.js';
import { normalizeChildSpec } from './normalize-child-spec.js';
import { normalizeFlags } from './normalize-flags.js';
import {
  newRecord,
  type SupervisorOutcome,
  type SupervisorOutput,
  SupervisorRun,
  TRAPS_EXIT,
} from './supervisor-run.js';
import type { ChildRecord, SupervisorState } from './supervisor-state.js';
import type { ChildSpec, ChildType, Strategy, SupervisorEvent, SupervisorFlags } from './types.js';

/** Where a supervisor keeps its working state inside its snapshot. @internal */
export const SUPERVISOR_STATE: unique symbol = Symbol.for('claude-actors.supervisorState');
const BY_ACTOR_ID: unique symbol = Symbol.for('claude-actors.supervisorByActorId');

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

/** A supervisor's snapshot. */
export type SupervisorSnapshot = Snapshot<SupervisorOutput> & {
  readonly context: SupervisorContext;
  /** @internal */
  readonly [SUPERVISOR_STATE]: SupervisorState;
  /** @internal */
  readonly [BY_ACTOR_ID]: Map<string, ChildRecord>;
};

/** The XState logic of a supervisor. */
export type SupervisorLogic = ActorLogic<
  SupervisorSnapshot,
  EventObject,
  NonReducibleUnknown,
  // biome-ignore lint/suspicious/noExplicitAny: XState's own AnyActorLogic uses ActorSystem<any>.
  ActorSystem<any>,
  SupervisorEvent
>;

function view(state: SupervisorState): SupervisorContext {
  const context = {
    strategy: state.flags.strategy,
    phase: state.phase,
    restartsInPeriod: state.restartTimes.filter((t) => t >= Date.now() - state.flags.periodMs)
      .length,
    totalRestarts: state.totalRestarts,
  } as SupervisorContext;
  // Built on demand: a supervisor of 10,000 children must not copy them on every event.
  Object.defineProperty(context, 'children', {
    enumerable: true,
    get: () =>
      [...state.childById.values()].map((c) => ({
        id: c.id,
        type: c.spec.type,
        status: c.status,
        actorId: c.ref?.id,
        restarts: c.restarts,
      })),
  });
  return context;
}

function snapshotOf(
  state: SupervisorState,
  byActorId: Map<string, ChildRecord>,
  outcome?: SupervisorOutcome | { status: 'stopped' },
): SupervisorSnapshot {
  return {
    status: outcome?.status ?? 'active',
    output: outcome?.status === 'done' ? outcome.output : undefined,
    error: outcome?.status === 'error' ? outcome.error : undefined,
    context: view(state),
    [SUPERVISOR_STATE]: state,
    [BY_ACTOR_ID]: byActorId,
  } as SupervisorSnapshot;
}

/**
 * Creates a supervisor: actor logic that starts its children in order, restarts them per
 * the strategy, restart types and intensity of Erlang/OTP's `supervisor`, escalates by shutting
 * down when it gives up, and stops its children in reverse order. Children are ordinary XState
 * actors (any logic) whose parent is the supervisor, so the inspector shows the tree.
 *
 * @example
 * const logic = createSupervisor({ strategy: 'one_for_all', intensity: 3, period: 10 }, [
 *   { id: 'db', start: () => dbMachine },
 *   { id: 'api', start: () => ({ logic: apiMachine, input: { port: 8080 } }) },
 * ]);
 * const supervisor = createActor(logic).start();
 *
 * @throws {@link InvalidChildSpecError} with OTP's reason for an invalid spec or flag.
 */
export function createSupervisor(
  flags: SupervisorFlags,
  specs: readonly ChildSpec[],
): SupervisorLogic {
  const normalizedFlags = normalizeFlags(flags);
  if (
    normalizedFlags.strategy === 'simple_one_for_one' &&
    normalizedFlags.autoShutdown !== 'never'
  ) {
    throw new InvalidChildSpecError('bad_combination', normalizedFlags.autoShutdown);
  }
  // OTP's order: the flags, then the shape of a simple_one_for_one spec list, then each spec.
  if (normalizedFlags.strategy === 'simple_one_for_one' && specs.length !== 1) {
    throw new InvalidChildSpecError('bad_start_spec', specs.length);
  }
  const normalized = specs.map((spec) => normalizeChildSpec(spec, normalizedFlags.autoShutdown));
  const seen = new Set<string>();
  for (const spec of normalized) {
    if (seen.has(spec.id))
      throw new InvalidChildSpecError('duplicate_child_name', spec.id, spec.id);
    seen.add(spec.id);
  }
  const template = normalizedFlags.strategy === 'simple_one_for_one' ? normalized[0] : undefined;

  const logic: SupervisorLogic & { [TRAPS_EXIT]: true } = {
    [TRAPS_EXIT]: true,
    config: { flags, specs },
    getInitialSnapshot() {
      const childById = new Map<string, ChildRecord>(
        template ? [] : normalized.map((spec) => [spec.id, newRecord(spec.id, spec, [])]),
      );
      const state: SupervisorState = {
        flags: normalizedFlags,
        template,
        childById,
        get children() {
          return [...childById.values()];
        },
        restartTimes: [],
        totalRestarts: 0,
        phase: 'starting',
        job: undefined,
        deferred: [],
        restartGroups: new Map(),
        timerSeq: 0,
        instanceSeq: 0,
      };
      return snapshotOf(state, new Map());
    },
    start(_snapshot, scope) {
      scope.self.send({ type: '@supervisor.init' });
    },
    transition(snapshot, event, scope: AnyActorScope) {
      if (snapshot.status !== 'active') return snapshot;
      const state = snapshot[SUPERVISOR_STATE];
      const byActorId = snapshot[BY_ACTOR_ID];
      const run = new SupervisorRun(state, scope, byActorId);
      if (event.type === 'xstate.stop') {
        run.stopAll();
        return snapshotOf(state, byActorId, { status: 'stopped' });
      }
      run.dispatch(event);
      return snapshotOf(state, byActorId, run.outcome);
    },
    getPersistedSnapshot(snapshot) {
      // Children are live processes: what persists is the view, not the actors.
      return {
        status: snapshot.status,
        output: snapshot.output,
        error: snapshot.error,
        context: snapshot.context,
      } as never;
    },
  };
  return logic;
}

/** @internal The working state behind a supervisor actor's snapshot. */
export function supervisorStateOf(snapshot: unknown): SupervisorState | undefined {
  return (snapshot as Partial<SupervisorSnapshot> | undefined)?.[SUPERVISOR_STATE];
}
