import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { AnyActorRef } from 'xstate';
import { supervisorViewOf } from '../../src/supervisors/supervisor-view.js';
import type { ChildSpec } from '../../src/supervisors/types.js';
import { exitsOf, settle, startSupervisor, startsOf } from './fixtures/harness.js';
import { LifecycleLog } from './fixtures/lifecycle-log.js';
import { StartProbe } from './fixtures/start-probe.js';
import { worker } from './fixtures/worker.js';

const simple = { strategy: 'simple_one_for_one' } as const;

function started(result: { ok: boolean; value?: AnyActorRef | undefined }): AnyActorRef {
  if (!result.ok || result.value === undefined) {
    throw new Error(`expected a started child, got ${JSON.stringify(result)}`);
  }
  return result.value;
}

function workerSpec(log: LifecycleLog, extra: Partial<ChildSpec> = {}): ChildSpec {
  return {
    id: 'w',
    start: (...args) => ({ logic: worker, input: { name: String(args[0]), log } }),
    ...extra,
  };
}

describe('simple_one_for_one', () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  it('starts with no children', async () => {
    const probe = new StartProbe();
    const { actor, client } = startSupervisor(simple, [{ id: 'w', start: probe.start }]);
    await settle();
    expect(actor.getSnapshot().status).toBe('active');
    expect(probe.calls).toBe(0);
    expect(client.whichChildren()).toEqual([]);
  });

  it('passes the extra arguments of startChild to the spec start', async () => {
    const probe = new StartProbe();
    const { client } = startSupervisor(simple, [{ id: 'w', start: probe.start }]);
    await settle();
    started(await client.startChild(['x', 42]));
    started(await client.startChild([]));
    expect(probe.args).toEqual([['x', 42], []]);
  });

  it('lists its children in reverse start order', async () => {
    const { client } = startSupervisor(simple, [{ id: 'w', start: () => worker }]);
    await settle();
    const refs: AnyActorRef[] = [];
    for (let i = 0; i < 3; i += 1) {
      refs.push(started(await client.startChild([i])));
    }
    expect(client.whichChildren().map((info) => info.child)).toEqual(refs.reverse());
    expect(client.whichChildren().every((info) => info.type === 'worker')).toBe(true);
  });

  it('counts one spec and every child as a worker, as OTP does', async () => {
    const { client } = startSupervisor(simple, [{ id: 'w', start: () => worker }]);
    await settle();
    for (let i = 0; i < 3; i += 1) {
      started(await client.startChild([i]));
    }
    expect(client.countChildren()).toEqual({ specs: 1, active: 3, supervisors: 0, workers: 3 });
  });

  it('restarts a crashed permanent child with the same arguments, leaving the others', async () => {
    const probe = new StartProbe();
    const { client } = startSupervisor(simple, [{ id: 'w', start: probe.start }]);
    await settle();
    const one = started(await client.startChild(['one']));
    const two = started(await client.startChild(['two']));
    one.send({ type: 'CRASH' });
    await settle();
    expect(probe.args).toEqual([['one'], ['two'], ['one']]);
    const children = client.whichChildren().map((info) => info.child);
    expect(children).toHaveLength(2);
    expect(children).toContain(two);
    expect(children).not.toContain(one);
  });

  it('forgets a temporary child when it exits', async () => {
    const { client, events } = startSupervisor(simple, [
      { id: 'w', start: () => worker, restart: 'temporary' },
    ]);
    await settle();
    const one = started(await client.startChild([]));
    started(await client.startChild([]));
    one.send({ type: 'FINISH' });
    await settle();
    expect(client.whichChildren()).toHaveLength(1);
    expect(client.countChildren()).toMatchObject({ active: 1, workers: 1 });
    expect(exitsOf(events)).toEqual([{ id: expect.any(String), reason: 'normal', restart: false }]);
  });

  it('does not keep the start arguments of a temporary child, only a permanent one', async () => {
    const big = { payload: 'x'.repeat(1_000) };
    const temporary = startSupervisor(simple, [
      { id: 'w', start: () => worker, restart: 'temporary' },
    ]);
    const permanent = startSupervisor(simple, [{ id: 'w', start: () => worker }]);
    await settle();
    started(await temporary.client.startChild([big]));
    started(await permanent.client.startChild([big]));
    const argsOf = (actor: AnyActorRef) =>
      supervisorViewOf(actor.getSnapshot())?.state.children.map((child) => child.args);
    expect(argsOf(temporary.actor)).toEqual([[]]);
    expect(argsOf(permanent.actor)).toEqual([[big]]);
  });

  it('does not keep a child whose start returns ignore', async () => {
    const probe = new StartProbe();
    probe.mode = 'ignore';
    const { client } = startSupervisor(simple, [{ id: 'w', start: probe.start }]);
    await settle();
    expect(await client.startChild([])).toEqual({ ok: true, value: undefined });
    expect(client.whichChildren()).toEqual([]);
  });

  it('reports a failed start with its error and stores nothing', async () => {
    const probe = new StartProbe();
    probe.mode = 'throw';
    const { client } = startSupervisor(simple, [{ id: 'w', start: probe.start }]);
    await settle();
    const result = await client.startChild([]);
    expect(result).toEqual({
      ok: false,
      error: { kind: 'start_failed', id: expect.any(String), error: expect.any(Error) },
    });
    expect(client.whichChildren()).toEqual([]);
  });

  it('terminates a child given its actor', async () => {
    const log = new LifecycleLog();
    const { client, events } = startSupervisor(simple, [workerSpec(log)]);
    await settle();
    const one = started(await client.startChild(['one']));
    const two = started(await client.startChild(['two']));
    const result = client.terminateChild(one);
    await settle();
    expect(await result).toEqual({ ok: true });
    expect(one.getSnapshot().status).toBe('stopped');
    expect(client.whichChildren().map((info) => info.child)).toEqual([two]);
    expect(exitsOf(events)).toEqual([
      { id: expect.any(String), reason: 'shutdown', restart: false },
    ]);
    expect(startsOf(events)).toEqual([one, two]);
  });

  it('answers ok when terminating a child of its own that is already gone', async () => {
    const { client } = startSupervisor(simple, [
      { id: 'w', start: () => worker, restart: 'temporary' },
    ]);
    await settle();
    const one = started(await client.startChild([]));
    one.send({ type: 'FINISH' });
    await settle();
    expect(client.whichChildren()).toEqual([]);
    expect(await client.terminateChild(one)).toEqual({ ok: true });
    const two = started(await client.startChild([]));
    expect(await client.terminateChild(two)).toEqual({ ok: true });
    expect(await client.terminateChild(two)).toEqual({ ok: true });
  });

  it('terminates a child by reference while it is restarting', async () => {
    const probe = new StartProbe();
    const { actor, client } = startSupervisor(
      { strategy: 'simple_one_for_one', intensity: 100, period: 1 },
      [{ id: 'w', start: probe.start }],
    );
    await settle();
    const one = started(await client.startChild([]));
    probe.mode = 'throw';
    one.send({ type: 'CRASH' });
    expect(client.whichChildren().map((info) => info.child)).toEqual(['restarting']);
    const result = client.terminateChild(one);
    await settle();
    expect(await result).toEqual({ ok: true });
    expect(client.whichChildren()).toEqual([]);
    const calls = probe.calls;
    await settle(5_000);
    expect(probe.calls).toBe(calls);
    expect(actor.getSnapshot().status).toBe('active');
  });

  it('answers not_found when terminating an actor that is not its child', async () => {
    const { client } = startSupervisor(simple, [{ id: 'w', start: () => worker }]);
    const other = startSupervisor(simple, [{ id: 'w', start: () => worker }]);
    await settle();
    const stranger = started(await other.client.startChild([]));
    const result = await client.terminateChild(stranger);
    expect(result.ok).toBe(false);
    expect(result.ok ? undefined : result.error.kind).toBe('not_found');
    expect(stranger.getSnapshot().status).toBe('active');
  });

  it('rejects terminating a child by id', async () => {
    const { client } = startSupervisor(simple, [{ id: 'w', start: () => worker }]);
    await settle();
    started(await client.startChild([]));
    expect(await client.terminateChild('w')).toEqual({
      ok: false,
      error: { kind: 'simple_one_for_one', id: 'w' },
    });
    expect(client.whichChildren()).toHaveLength(1);
  });

  it.each(['restartChild', 'deleteChild'] as const)('rejects %s', async (call) => {
    const { client } = startSupervisor(simple, [{ id: 'w', start: () => worker }]);
    await settle();
    started(await client.startChild([]));
    const result = await client[call]('w');
    expect(result).toEqual({ ok: false, error: { kind: 'simple_one_for_one', id: 'w' } });
  });

  it('stops all its children when it stops', async () => {
    const log = new LifecycleLog();
    const { actor, client } = startSupervisor(simple, [workerSpec(log)]);
    await settle();
    for (let i = 0; i < 5; i += 1) {
      started(await client.startChild([i]));
    }
    const stopped = client.stop();
    await settle();
    await stopped;
    expect(log.live()).toBe(0);
    expect(actor.getSnapshot().output).toEqual({ exitReason: 'shutdown', cause: 'requested' });
  });

  it('stops its children in parallel, not one timeout after the other', async () => {
    const log = new LifecycleLog();
    const { client } = startSupervisor(simple, [
      {
        id: 'w',
        shutdown: 1_000,
        start: (...args) => ({
          logic: worker,
          input: { name: String(args[0]), log, stopMs: null },
        }),
      },
    ]);
    await settle();
    for (let i = 0; i < 3; i += 1) {
      started(await client.startChild([i]));
    }
    let done = false;
    const stopped = client.stop().then(() => {
      done = true;
    });
    await settle(1_000);
    expect(done).toBe(true);
    await stopped;
    expect(log.live()).toBe(0);
  });

  it('shows a child in a failing restart loop as restarting, and still stops', async () => {
    const probe = new StartProbe();
    const { actor, client } = startSupervisor({ ...simple, intensity: 100, period: 3_600 }, [
      { id: 'w', start: probe.start },
    ]);
    await settle();
    const one = started(await client.startChild(['one']));
    started(await client.startChild(['two']));
    probe.mode = 'throw';
    one.send({ type: 'CRASH' });
    await settle();
    expect(client.whichChildren().map((info) => info.child)).toContain('restarting');
    expect(client.countChildren()).toMatchObject({ active: 1, workers: 2 });
    const stopped = client.stop();
    await settle();
    await stopped;
    const calls = probe.calls;
    await settle(60_000);
    expect(probe.calls).toBe(calls);
    expect(actor.getSnapshot().status).toBe('done');
  });

  it('gives up when its children fail more than intensity allows', async () => {
    const { actor, client, events } = startSupervisor({ ...simple, intensity: 1 }, [
      { id: 'w', start: () => worker },
    ]);
    await settle();
    const one = started(await client.startChild([]));
    const two = started(await client.startChild([]));
    one.send({ type: 'CRASH' });
    await settle();
    expect(actor.getSnapshot().status).toBe('active');
    two.send({ type: 'CRASH' });
    await settle();
    expect(actor.getSnapshot().status).toBe('done');
    expect(actor.getSnapshot().output).toEqual({ exitReason: 'shutdown', cause: 'intensity' });
    expect(events).toContainEqual({ type: 'supervisor.shutdown', cause: 'intensity' });
  });
});
