import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { type AnyActorRef, createActor, createMachine } from 'xstate';
import { createSupervisor } from '../../src/supervisors/create-supervisor.js';
import { indexScheduledEvents } from '../../src/supervisors/indexed-scheduler.js';
import { supervisorClient } from '../../src/supervisors/supervisor-client.js';
import { settle, startedRef } from './fixtures/harness.js';

/** A child with a timer pending for a minute: `waiting`, then `fired`. */
const timed = createMachine({
  initial: 'waiting',
  states: { waiting: { after: { 60000: 'fired' } }, fired: {} },
});

type Internals = { _snapshot: { _scheduledEvents: Record<string, unknown> } };

/** Counts reads of the system's scheduled events from now on (XState's cancelAll reads all). */
function countReads(actor: AnyActorRef): { reads: number } {
  const internals = actor.system as unknown as Internals;
  const counter = { reads: 0 };
  internals._snapshot._scheduledEvents = new Proxy(internals._snapshot._scheduledEvents, {
    get(target, key, receiver) {
      counter.reads += 1;
      return Reflect.get(target, key, receiver);
    },
  });
  return counter;
}

const scheduledKeys = (actor: AnyActorRef): string[] =>
  Object.keys((actor.system as unknown as Internals)._snapshot._scheduledEvents);

describe('scheduled events indexed by actor', () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  function startTimed() {
    const actor = createActor(
      createSupervisor({ strategy: 'simple_one_for_one' }, [
        { id: 't', start: () => timed, shutdown: 'brutal_kill' },
      ]),
    );
    // After start: a root actor's start replaces the system's scheduled events object.
    actor.start();
    const reads = countReads(actor);
    return { actor, client: supervisorClient(actor), reads };
  }

  it('stops 2,000 children with a timer each without visiting the others’ timers', async () => {
    const { actor, client, reads } = startTimed();
    await Promise.all(Array.from({ length: 2_000 }, () => client.startChild([])));
    expect(scheduledKeys(actor)).toHaveLength(2_000);
    reads.reads = 0;
    await client.stop();
    expect(scheduledKeys(actor)).toEqual([]);
    // XState's own cancelAll reads every scheduled event per stopped child: 2,000² here.
    expect(reads.reads).toBeLessThan(20 * 2_000);
    expect(vi.getTimerCount()).toBe(0);
  });

  it('cancels exactly the timers of the child that stops; the others still fire', async () => {
    const { actor, client } = startTimed();
    const a = startedRef(await client.startChild([]))!;
    const b = startedRef(await client.startChild([]))!;
    expect(await client.terminateChild(a)).toEqual({ ok: true });
    const left = scheduledKeys(actor);
    expect(left).toHaveLength(1);
    expect(left[0]?.startsWith(`${b.sessionId}.`)).toBe(true);
    expect(vi.getTimerCount()).toBe(1);
    await settle(60_000);
    expect(b.getSnapshot().value).toBe('fired');
    expect(a.getSnapshot().status).toBe('stopped');
    expect(scheduledKeys(actor)).toEqual([]);
  });

  it('indexes timers scheduled before it was installed, and forgets fired ones', async () => {
    const parent = createActor(
      createMachine({ initial: 'idle', states: { idle: { after: { 1000: 'late' } }, late: {} } }),
    ).start();
    const early = createActor(timed, { parent } as never).start();
    indexScheduledEvents(parent.system);
    indexScheduledEvents(parent.system);
    await settle(1_000);
    expect(parent.getSnapshot().value).toBe('late');
    expect(scheduledKeys(parent)).toHaveLength(1);
    (
      parent as unknown as { _actorScope: { stopChild(ref: AnyActorRef): void } }
    )._actorScope.stopChild(early);
    await settle();
    expect(scheduledKeys(parent)).toEqual([]);
    expect(vi.getTimerCount()).toBe(0);
  });

  it('cancels the pending timer of a child whose timers have fired many times', async () => {
    const ticking = createMachine({
      initial: 'a',
      states: { a: { after: { 10: 'b' } }, b: { after: { 10: 'a' } } },
    });
    const actor = createActor(
      createSupervisor({}, [{ id: 'ticker', start: () => ticking, shutdown: 'brutal_kill' }]),
    ).start();
    await settle(10_000);
    expect(scheduledKeys(actor)).toHaveLength(1);
    await supervisorClient(actor).stop();
    expect(scheduledKeys(actor)).toEqual([]);
    expect(vi.getTimerCount()).toBe(0);
  });
});

describe('indexScheduledEvents identity', () => {
  it('wraps a system scheduler once, however many supervisors index it', () => {
    const actor = createActor(timed).start();
    const { scheduler } = actor.system;
    indexScheduledEvents(actor.system);
    const wrapped = { schedule: scheduler.schedule, cancel: scheduler.cancel };
    indexScheduledEvents(actor.system);
    expect(scheduler.schedule).toBe(wrapped.schedule);
    expect(scheduler.cancel).toBe(wrapped.cancel);
    expect(Object.getOwnPropertySymbols(scheduler)).toEqual([]);
    actor.stop();
  });
});
