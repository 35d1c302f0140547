import type {
  ActorLogic,
  ActorSystem,
  AnyActorScope,
  EventObject,
  NonReducibleUnknown,
  Snapshot,
} from 'xstate';
import { InvalidChildSpecError } from './errors/invalid-child-spec-error.js';
import { EventQueue } from './event-queue.js';
import { indexScheduledEvents } from './indexed-scheduler.js';
import { normalizeChildSpec } from './normalize-child-spec.js';
import { normalizeFlags } from './normalize-flags.js';
import { plainContext, type SupervisorContext, supervisorContext } from './supervisor-context.js';
import {
  newRecord,
  type SupervisorOutcome,
  type SupervisorOutput,
  SupervisorRun,
} from './supervisor-run.js';
import type { ChildRecord, SupervisorState } from './supervisor-state.js';
import { SupervisorView } from './supervisor-view.js';
import type { ChildSpec, SupervisorEvent, SupervisorFlags } from './types.js';

/**
 * A supervisor's snapshot: `context` is what the inspector shows and what is persisted;
 * `view` answers `which_children`, `count_children` and the supervision tree (and holds the
 * working state, as a machine's snapshot holds its context).
 */
export type SupervisorSnapshot = Snapshot<SupervisorOutput> & {
  readonly context: SupervisorContext;
  readonly view: SupervisorView;
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

/** One loop per supervisor actor (its scope never changes), not one per event. */
const RUNS = new WeakMap<SupervisorState, SupervisorRun>();

function snapshotOf(
  view: SupervisorView,
  outcome?: SupervisorOutcome | { status: 'stopped' },
): SupervisorSnapshot {
  return {
    status: outcome?.status ?? 'active',
    output: outcome?.status === 'done' ? outcome.output : undefined,
    error: outcome?.status === 'error' ? outcome.error : undefined,
    context: supervisorContext(view.state),
    view,
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

  const initialSnapshot = (): SupervisorSnapshot => {
    const childById = new Map<string, ChildRecord>(
      template ? [] : normalized.map((spec) => [spec.id, newRecord(spec.id, spec, [])]),
    );
    const state: SupervisorState = {
      flags: normalizedFlags,
      template,
      childById,
      byActorId: new Map(),
      get children() {
        return [...childById.values()];
      },
      restartTimes: [],
      totalRestarts: 0,
      phase: 'starting',
      job: undefined,
      deferred: new EventQueue(),
      restartGroups: new Map(),
      timerSeq: 0,
      instanceSeq: 0,
    };
    return snapshotOf(new SupervisorView(state));
  };

  const logic: SupervisorLogic = {
    config: { flags, specs },
    getInitialSnapshot: () => initialSnapshot(),
    restoreSnapshot(persisted) {
      // Children are live processes and do not survive a restore: an active supervisor starts
      // its children again from its specs, as OTP restarts a supervisor; a finished one stays
      // finished.
      const { status, output, error } = persisted as Partial<Snapshot<SupervisorOutput>>;
      const fresh = initialSnapshot();
      if (status === undefined || status === 'active') return fresh;
      return { ...fresh, status, output, error } as SupervisorSnapshot;
    },
    start(snapshot, scope) {
      if (snapshot.status !== 'active') return;
      // Stopping many children with timers must not walk every timer of the system each time.
      indexScheduledEvents(scope.system);
      scope.self.send({ type: '@supervisor.init' });
    },
    transition(snapshot, event, scope: AnyActorScope) {
      if (snapshot.status !== 'active') return snapshot;
      const { view } = snapshot;
      let run = RUNS.get(view.state);
      if (!run) {
        run = new SupervisorRun(view.state, scope);
        RUNS.set(view.state, run);
      }
      if (event.type === 'xstate.stop') {
        run.stopAll();
        return snapshotOf(view, { status: 'stopped' });
      }
      run.dispatch(event);
      return snapshotOf(view, run.outcome);
    },
    getPersistedSnapshot(snapshot) {
      // Children are live processes: what persists is the view, not the actors.
      return {
        status: snapshot.status,
        output: snapshot.output,
        error: snapshot.error,
        context: plainContext(snapshot.context),
      } as never;
    },
  };
  return logic;
}
