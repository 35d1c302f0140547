import type { InspectionEvent, Observer } from 'xstate';
import { z } from 'zod';
import { validate } from '../core/validation/validate.js';

/** One actor seen by an {@link InspectionRecorder}. */
export interface RecordedActor {
  /** The actor's id within its parent (`spawnChild(…, { id })`, invoke id, or generated). */
  readonly id: string;
  /** Unique across the system; what `parentSessionId` refers to. */
  readonly sessionId: string;
  /** Session id of the parent actor; `undefined` for a root. */
  readonly parentSessionId: string | undefined;
  /** The name the logic was registered under in `setup({ actors })`, else a machine's id. */
  readonly logic: string | undefined;
  /**
   * Status of the last snapshot reported: `active` until it ends (`done`, `error`, `stopped`).
   * An actor that fails while processing an event may stay `active` here: XState reports no
   * snapshot for that.
   */
  readonly status: 'active' | 'done' | 'error' | 'stopped';
}

/** What {@link createInspectionRecorder} returns. */
export interface InspectionRecorder {
  /** Inspection observer: pass it to `createActor(logic, { inspect })` or to a runtime. */
  readonly inspect: Observer<InspectionEvent>;
  /** Every actor seen so far, in creation order (ended ones included). */
  actors(): RecordedActor[];
  /** The last `maxEvents` inspection events, oldest first (a live, bounded array). */
  readonly events: readonly InspectionEvent[];
}

/** Options of {@link createInspectionRecorder}. */
export interface InspectionRecorderOptions {
  /**
   * Events kept in {@link InspectionRecorder.events}; the oldest are dropped first. Events hold
   * snapshots, so a long-lived recorder that only needs `actors()` should keep few or none.
   *
   * @defaultValue `10_000`
   */
  maxEvents?: number;
}

const OptionsSchema = z.strictObject({
  maxEvents: z.number().int().nonnegative().default(10_000),
});

const STATUSES = new Set<RecordedActor['status']>(['active', 'done', 'error', 'stopped']);

/**
 * Records the inspection events of an actor system in process: which actors exist, who their
 * parent is, and whether they are still running. Meant for tests and for a runtime's "what is
 * running" view; nothing is serialised or sent anywhere.
 *
 * Actors are kept as small records (no actor refs), for the recorder's whole life.
 *
 * @throws {@link InvalidOptionsError} when `maxEvents` is not a non-negative integer.
 * @example
 * ```ts
 * const recorder = createInspectionRecorder();
 * const actor = createActor(machine, { inspect: recorder.inspect }).start();
 * recorder.actors(); // [{ id: 'x:0', sessionId: 'x:0', parentSessionId: undefined, ... }, ...]
 * ```
 */
export function createInspectionRecorder(
  options: InspectionRecorderOptions = {},
): InspectionRecorder {
  const { maxEvents } = validate(OptionsSchema, options, { what: 'recorder option' });
  const events: InspectionEvent[] = [];
  const actors = new Map<string, RecordedActor>();

  const record = (event: InspectionEvent): void => {
    if (event.type === '@xstate.actor') {
      // Emitted from the actor's constructor: its snapshot does not exist yet, so read no more.
      const ref = event.actorRef as ActorRefFacts;
      actors.set(ref.sessionId, {
        id: ref.id ?? ref.sessionId,
        sessionId: ref.sessionId,
        parentSessionId: ref._parent?.sessionId,
        logic: logicName(ref),
        status: 'active',
      });
    } else if (event.type === '@xstate.snapshot') {
      const actor = actors.get(event.actorRef.sessionId);
      const status = event.snapshot.status as RecordedActor['status'];
      if (actor && actor.status !== status && STATUSES.has(status)) {
        actors.set(actor.sessionId, { ...actor, status });
      }
    }
    if (maxEvents === 0) return;
    events.push(event);
    if (events.length > maxEvents) events.shift();
  };

  return {
    inspect: { next: record },
    actors: () => [...actors.values()],
    events,
  };
}

/** What an `Actor` carries beyond the `ActorRefLike` type inspection events declare. */
interface ActorRefFacts {
  readonly sessionId: string;
  readonly id?: string;
  readonly src?: unknown;
  readonly logic?: { readonly id?: unknown; readonly config?: { readonly id?: unknown } };
  readonly _parent?: { readonly sessionId: string };
}

function logicName(ref: ActorRefFacts): string | undefined {
  if (typeof ref.src === 'string') return ref.src;
  const id = ref.logic?.id ?? ref.logic?.config?.id;
  return typeof id === 'string' ? id : undefined;
}
