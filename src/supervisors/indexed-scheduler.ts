import type { AnyActorRef, AnyActorScope } from 'xstate';

type ActorSystem = AnyActorScope['system'];
type Scheduler = ActorSystem['scheduler'];

interface ScheduledEvent {
  readonly source: AnyActorRef;
  readonly id: string;
}

/** The part of XState's (internal) system this module reads: its scheduled events by key. */
interface SystemInternals {
  readonly _snapshot: { readonly _scheduledEvents: Record<string, ScheduledEvent> };
}

/**
 * Schedulers already wrapped. A module-level set, not a mark on XState's object: two copies
 * of this library in one system would each wrap it once, which stays correct (each index
 * sees every event; the outer one cancels through the inner one).
 */
const indexed = new WeakSet<Scheduler>();

/** XState's key of a scheduled event (`createScheduledEventId`). */
const keyOf = (source: AnyActorRef, id: string): string => `${source.sessionId}.${id}`;

/**
 * @internal Makes XState's `scheduler.cancelAll(actor)` visit only that actor's scheduled
 * events. XState (5.x) walks every scheduled event of the whole system each time an actor
 * stops, so stopping N children that each have a timer (a machine's `after`, a pending
 * restart) is O(N²): 20,000 such children took 200 s to stop. The scheduler's `schedule`,
 * `cancel` and `cancelAll` are wrapped once per system with an index by source actor; what
 * is scheduled, fired, cancelled and persisted is unchanged. Idempotent.
 */
export function indexScheduledEvents(system: ActorSystem): void {
  const { scheduler } = system;
  if (indexed.has(scheduler)) return;
  const internals = system as unknown as SystemInternals;
  const scheduled = (): Record<string, ScheduledEvent> => internals._snapshot._scheduledEvents;
  // Source session id → ids of its events. A fired event leaves its id behind (XState fires
  // without telling the scheduler), so a set is pruned when it has doubled since its last prune.
  const bySource = new Map<string, { ids: Set<string>; pruneAt: number }>();
  const add = (source: AnyActorRef, id: string): void => {
    let entry = bySource.get(source.sessionId);
    if (!entry) {
      entry = { ids: new Set(), pruneAt: 16 };
      bySource.set(source.sessionId, entry);
    }
    entry.ids.add(id);
    if (entry.ids.size < entry.pruneAt) return;
    const events = scheduled();
    for (const known of entry.ids) if (!(keyOf(source, known) in events)) entry.ids.delete(known);
    entry.pruneAt = Math.max(16, entry.ids.size * 2);
  };
  for (const event of Object.values(scheduled())) add(event.source, event.id);

  const { schedule, cancel } = scheduler;
  scheduler.schedule = (source, target, event, delay, id) => {
    // XState's own default id, made here so that the index knows it.
    const eventId = id ?? Math.random().toString(36).slice(2);
    schedule(source, target, event, delay, eventId);
    add(source, eventId);
  };
  scheduler.cancel = (source, id) => {
    cancel(source, id);
    bySource.get(source.sessionId)?.ids.delete(id);
  };
  scheduler.cancelAll = (actor) => {
    const entry = bySource.get(actor.sessionId);
    if (!entry) return;
    bySource.delete(actor.sessionId);
    const events = scheduled();
    for (const id of entry.ids) {
      if (events[keyOf(actor, id)]?.source === actor) cancel(actor, id);
    }
  };
  indexed.add(scheduler);
}
