import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { type AnyActorRef, createActor, fromCallback } from 'xstate';
import { createSupervisor } from '../../src/supervisors/create-supervisor.js';
import { EventQueue } from '../../src/supervisors/event-queue.js';
import { supervisorClient } from '../../src/supervisors/supervisor-client.js';
import type { ChildRecord } from '../../src/supervisors/supervisor-state.js';
import { supervisorViewOf } from '../../src/supervisors/supervisor-view.js';
import { type Harness, settle, spec, startedRef, startSupervisor } from './fixtures/harness.js';
import { worker } from './fixtures/worker.js';

// Complexity without timing: these count the work a supervisor does per child, so a change that
// walks every child (or moves a long array) per start, stop or call fails here, not only in the
// bench. Timing is the bench's job (`npm run bench:supervisor`).

/** Counts every child visited by iterating a supervisor's children map from now on. */
function countChildWalks({ actor }: Harness): { readonly visited: number } {
  const byId = supervisorViewOf(actor.getSnapshot())!.state.childById as Map<string, ChildRecord>;
  const counter = { visited: 0 };
  const counted = <T>(iterator: IterableIterator<T>): IterableIterator<T> => {
    const next = iterator.next.bind(iterator);
    iterator.next = () => {
      const result = next();
      if (!result.done) counter.visited += 1;
      return result;
    };
    return iterator;
  };
  const values = byId.values.bind(byId);
  const keys = byId.keys.bind(byId);
  const entries = byId.entries.bind(byId);
  byId.values = () => counted(values());
  byId.keys = () => counted(keys());
  byId.entries = () => counted(entries());
  byId[Symbol.iterator] = () => counted(entries());
  byId.forEach = (fn) => {
    for (const [key, value] of byId.entries()) fn(value, key, byId);
  };
  return counter;
}

const originalShift = Array.prototype.shift;

/**
 * Records the length of the longest array `Array#shift` was called on from now on (until
 * `afterEach` puts the original back). Patched by hand: a vitest spy uses `shift` itself.
 */
function longestShift(): { readonly max: number } {
  const seen = { max: 0 };
  Array.prototype.shift = function (this: unknown[]) {
    if (this.length > seen.max) seen.max = this.length;
    return originalShift.call(this);
  };
  return seen;
}

const originalIncludes = Array.prototype.includes;

/** Sums the lengths of the arrays `Array#includes` searched from now on (until restored). */
function scannedByIncludes(): { readonly elements: number } {
  const seen = { elements: 0 };
  Array.prototype.includes = function (this: unknown[], ...args: [unknown, number?]) {
    seen.elements += this.length;
    return originalIncludes.apply(this, args);
  };
  return seen;
}

const N = 2_000;

describe('supervisor work per child', () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => {
    Array.prototype.shift = originalShift;
    vi.restoreAllMocks();
    vi.useRealTimers();
  });

  it('starts and terminates simple_one_for_one children without walking the others', async () => {
    const harness = startSupervisor({ strategy: 'simple_one_for_one' }, [
      { id: 'w', start: () => worker, restart: 'temporary' },
    ]);
    const walks = countChildWalks(harness);
    const refs: AnyActorRef[] = [];
    for (let i = 0; i < N; i++) refs.push(startedRef(await harness.client.startChild([i]))!);
    for (const ref of refs) expect((await harness.client.terminateChild(ref)).ok).toBe(true);
    expect(walks.visited).toBe(0);
    // The counter does see a walk (so 0 above is a real measurement).
    harness.client.countChildren();
    harness.actor.getSnapshot().context.children;
    await harness.client.startChild([0]);
    expect(harness.client.countChildren().active).toBe(1);
    expect(walks.visited).toBeGreaterThan(0);
  });

  it('forgets the actor ids of a shutdown in one clear, not one hash lookup per child', async () => {
    const harness = startSupervisor({ strategy: 'simple_one_for_one' }, [
      { id: 'w', start: () => worker },
    ]);
    for (let i = 0; i < N; i++) await harness.client.startChild([i]);
    const byActorId = supervisorViewOf(harness.actor.getSnapshot())!.state.byActorId;
    expect(byActorId.size).toBe(N);
    const deleted = vi.spyOn(byActorId, 'delete');
    const cleared = vi.spyOn(byActorId, 'clear');
    await harness.client.stop();
    expect(harness.actor.getSnapshot().status).toBe('done');
    expect(harness.events.filter((e) => e.type === 'child.exited')).toHaveLength(N);
    expect(deleted).not.toHaveBeenCalled();
    expect(cleared).toHaveBeenCalledTimes(1);
    expect(byActorId.size).toBe(0);
  });

  it('reads each child snapshot once when a shutdown stops it, machine or callback', async () => {
    // A machine that cannot take the shutdown event (stopped at once) and a callback actor.
    const callback = fromCallback(() => () => {});
    const harness = startSupervisor({}, [
      ...Array.from({ length: N / 2 }, (_, i) => spec(`m${i}`)),
      ...Array.from({ length: N / 2 }, (_, i) => spec(`c${i}`, { start: () => callback })),
    ]);
    await settle();
    const refs = harness.client.whichChildren().map((info) => info.child as AnyActorRef);
    const reads = refs.map((ref) => vi.spyOn(ref, 'getSnapshot'));
    await harness.client.stop();
    expect(harness.actor.getSnapshot().status).toBe('done');
    const exits = harness.events.filter((e) => e.type === 'child.exited');
    expect(exits).toHaveLength(N);
    expect(exits.every((e) => e.type === 'child.exited' && e.reason === 'shutdown')).toBe(true);
    expect(refs.every((ref) => ref.getSnapshot().status === 'stopped')).toBe(true);
    // One read each in the shutdown (the line above added one more per child).
    expect(reads.map((read) => read.mock.calls.length - 1)).toEqual(refs.map(() => 1));
  });

  it('builds no child.exited event of a shutdown that no one listens to, and all for a listener', async () => {
    const run = async (listen: boolean) => {
      const actor = createActor(
        createSupervisor({ strategy: 'simple_one_for_one' }, [{ id: 'w', start: () => worker }]),
      ).start();
      const client = supervisorClient(actor);
      for (let i = 0; i < N; i++) await client.startChild([i]);
      const scope = (actor as unknown as { _actorScope: { emit(event: unknown): void } })
        ._actorScope;
      const emit = vi.spyOn(scope, 'emit');
      const heard: unknown[] = [];
      // Added during the shutdown, by a listener of the event that starts it.
      if (listen) {
        actor.on('supervisor.stopping', () => actor.on('child.exited', (e) => heard.push(e)));
      }
      await client.stop();
      expect(actor.getSnapshot().status).toBe('done');
      const built = emit.mock.calls.filter(
        ([e]) => (e as { type: string }).type === 'child.exited',
      );
      return { built: built.length, heard };
    };
    expect((await run(false)).built).toBe(0);
    const listened = await run(true);
    expect(listened.built).toBe(N);
    expect(listened.heard).toHaveLength(N);
    expect(listened.heard[0]).toEqual({
      type: 'child.exited',
      id: 'w-1',
      reason: 'shutdown',
      restart: false,
    });
  });

  it('makes a snapshot per event without copying the children', async () => {
    const harness = startSupervisor({}, []);
    const walks = countChildWalks(harness);
    const snapshots: unknown[] = [];
    harness.actor.subscribe((snapshot) => snapshots.push(snapshot));
    for (let i = 0; i < N; i++) await harness.client.startChild(spec(`c${i}`));
    expect(snapshots.length).toBeGreaterThanOrEqual(N);
    expect(walks.visited).toBe(0);
    expect(harness.actor.getSnapshot().context.children).toHaveLength(N);
    expect(JSON.parse(JSON.stringify(harness.actor.getSnapshot().context)).children).toHaveLength(
      N,
    );
  });

  it('listens for replies once per supervisor, not once per call', async () => {
    const harness = startSupervisor({ strategy: 'simple_one_for_one' }, [
      { id: 'w', start: () => worker, restart: 'temporary' },
    ]);
    const on = vi.spyOn(harness.actor, 'on');
    const subscribe = vi.spyOn(harness.actor, 'subscribe');
    // Sequential calls: each is answered before the next is made.
    for (let i = 0; i < 200; i++) await harness.client.startChild([i]);
    await Promise.all(Array.from({ length: 200 }, (_, i) => harness.client.startChild([i])));
    expect(on.mock.calls.length).toBeLessThanOrEqual(1);
    expect(subscribe.mock.calls.length).toBeLessThanOrEqual(1);
    expect(harness.client.countChildren().active).toBe(400);
  });

  it('stops many one_for_one children in reverse order without shifting a long array', async () => {
    const harness = startSupervisor({}, []);
    for (let i = 0; i < N; i++) await harness.client.startChild(spec(`c${i}`));
    const shifts = longestShift();
    await harness.client.stop();
    expect(harness.errors).toEqual([]);
    expect(harness.actor.getSnapshot().status).toBe('done');
    expect(shifts.max).toBeLessThan(100);
  });

  it('drains thousands of calls deferred behind polite stops without shifting a long array', async () => {
    const harness = startSupervisor({}, []);
    for (let i = 0; i < N; i++) {
      await harness.client.startChild(
        spec(`c${i}`, { start: () => ({ logic: worker, input: { stopMs: 10 } }) }),
      );
    }
    const shifts = longestShift();
    // The first terminate waits for its child's polite stop; the others queue behind it.
    const results = Promise.all(
      Array.from({ length: N }, (_, i) => harness.client.terminateChild(`c${i}`)),
    );
    await settle(10 * N);
    expect((await results).filter((result) => !result.ok).slice(0, 2)).toEqual([]);
    expect(harness.client.countChildren()).toMatchObject({ specs: N, active: 0 });
    expect(shifts.max).toBeLessThan(100);
  });
});

describe('supervisor snapshot context', () => {
  it('is a plain object: spread, structuredClone, Object.keys and toEqual see every field', async () => {
    const harness = startSupervisor({}, []);
    await harness.client.startChild(spec('a'));
    const context = harness.actor.getSnapshot().context;
    const expected = {
      strategy: 'one_for_one',
      phase: 'running',
      children: [{ id: 'a', type: 'worker', status: 'running', actorId: 'a', restarts: 0 }],
      restartsInPeriod: 0,
      totalRestarts: 0,
    };
    expect(Object.keys(context).sort()).toEqual(Object.keys(expected).sort());
    expect({ ...context }).toEqual(expected);
    expect(structuredClone(context)).toEqual(expected);
    expect(context).toEqual(expected);
  });
});

describe('supervisor work per restart', () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => {
    Array.prototype.includes = originalIncludes;
    vi.useRealTimers();
  });

  it('restarts a one_for_all group of 2,000 without scanning the group per child', async () => {
    const harness = startSupervisor(
      { strategy: 'one_for_all', intensity: 10, period: 60 },
      Array.from({ length: N }, (_, i) => spec(`c${i}`)),
    );
    await settle();
    const scans = scannedByIncludes();
    const first = harness.client.whichChildren().at(-1)!.child as AnyActorRef;
    first.send({ type: 'CRASH' });
    await settle();
    expect(harness.client.countChildren().active).toBe(N);
    expect(harness.client.whichChildren().at(-1)!.child).not.toBe(first);
    expect(scans.elements).toBeLessThan(100 * N);
  });

  it('counts restarts against intensity in one list, updated in place', async () => {
    const harness = startSupervisor({ intensity: 100_000, period: 3_600 }, [spec('a')]);
    await settle();
    const times = supervisorViewOf(harness.actor.getSnapshot())!.state.restartTimes;
    for (let i = 0; i < 1_000; i++) {
      (harness.client.whichChildren()[0]!.child as AnyActorRef).send({ type: 'CRASH' });
      await settle(1);
    }
    const state = supervisorViewOf(harness.actor.getSnapshot())!.state;
    expect(state.restartTimes).toBe(times);
    expect(times).toHaveLength(1_000);
    expect(harness.actor.getSnapshot().context.restartsInPeriod).toBe(1_000);
  });
});

describe('EventQueue', () => {
  it('keeps first-in first-out order across compactions', () => {
    const queue = new EventQueue<number>([0, 1]);
    for (let i = 2; i < 5_000; i++) queue.push(i);
    const out: number[] = [];
    for (let i = 0; i < 3_000; i++) out.push(queue.shift()!);
    for (let i = 5_000; i < 6_000; i++) queue.push(i);
    while (queue.length > 0) out.push(queue.shift()!);
    expect(out).toEqual(Array.from({ length: 6_000 }, (_, i) => i));
    expect(queue.shift()).toBeUndefined();
  });
});
