import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import {
  exitsOf,
  idsOf,
  refOf,
  settle,
  startSupervisor,
  tracked,
  viewOf,
} from './fixtures/harness.js';
import { LifecycleLog } from './fixtures/lifecycle-log.js';
import { StartProbe } from './fixtures/start-probe.js';
import { worker } from './fixtures/worker.js';

describe('one_for_all', () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  it('stops the others in reverse start order, then restarts all in start order', async () => {
    const log = new LifecycleLog();
    const { client } = startSupervisor({ strategy: 'one_for_all' }, [
      tracked(log, 'a'),
      tracked(log, 'b'),
      tracked(log, 'c'),
    ]);
    await settle();
    const before = ['a', 'b', 'c'].map((id) => refOf(client, id));
    const from = log.mark();
    refOf(client, 'b').send({ type: 'CRASH' });
    await settle();
    expect(log.since(from)).toEqual([
      'error:b',
      'stop:c',
      'stop:a',
      'start:a',
      'start:b',
      'start:c',
    ]);
    const after = ['a', 'b', 'c'].map((id) => refOf(client, id));
    for (const [i, ref] of after.entries()) {
      expect(ref).not.toBe(before[i]);
    }
    expect(log.live()).toBe(3);
    expect(idsOf(client)).toEqual(['c', 'b', 'a']);
  });

  it('reports the siblings it stopped as exited (shutdown), to be restarted', async () => {
    const log = new LifecycleLog();
    const { client, events } = startSupervisor({ strategy: 'one_for_all' }, [
      tracked(log, 'a'),
      tracked(log, 'b'),
    ]);
    await settle();
    refOf(client, 'b').send({ type: 'CRASH' });
    await settle();
    expect(exitsOf(events, 'a')).toEqual([{ id: 'a', reason: 'shutdown', restart: true }]);
  });

  it('waits for a sibling that traps exits to stop before restarting', async () => {
    const log = new LifecycleLog();
    const { client } = startSupervisor({ strategy: 'one_for_all' }, [
      tracked(log, 'slow', { shutdown: 1_000 }, { stopMs: 300 }),
      tracked(log, 'b'),
    ]);
    await settle();
    const slow = refOf(client, 'slow');
    const from = log.mark();
    refOf(client, 'b').send({ type: 'CRASH' });
    await settle();
    expect(slow.getSnapshot().value).toBe('stopping');
    expect(log.since(from)).toEqual(['error:b']);
    await settle(299);
    expect(log.since(from)).toEqual(['error:b']);
    await settle(1);
    expect(log.since(from)).toEqual(['error:b', 'done:slow', 'start:slow', 'start:b']);
    expect(refOf(client, 'slow')).not.toBe(slow);
  });

  it('stops a temporary bystander for good, without counting it against intensity', async () => {
    const log = new LifecycleLog();
    const { actor, client, events } = startSupervisor({ strategy: 'one_for_all', intensity: 1 }, [
      tracked(log, 'a'),
      tracked(log, 'temp', { restart: 'temporary' }),
      tracked(log, 'c'),
    ]);
    await settle();
    refOf(client, 'a').send({ type: 'CRASH' });
    await settle();
    expect(actor.getSnapshot().status).toBe('active');
    expect(idsOf(client)).toEqual(['c', 'a']);
    expect(exitsOf(events, 'temp')).toEqual([{ id: 'temp', reason: 'shutdown', restart: false }]);
    expect(log.live()).toBe(2);
  });

  it('stops the ones it restarted and retries when a later one fails to start', async () => {
    const log = new LifecycleLog();
    const probe = new StartProbe(() => ({ logic: worker, input: { name: 'c', log } }));
    const { actor, client } = startSupervisor({ strategy: 'one_for_all', intensity: 10 }, [
      tracked(log, 'a'),
      tracked(log, 'b'),
      { id: 'c', start: probe.start },
    ]);
    await settle();
    const before = ['a', 'b', 'c'].map((id) => refOf(client, id));
    probe.mode = 'throw';
    refOf(client, 'a').send({ type: 'CRASH' });
    expect(viewOf(client, 'c')).toBe('restarting');
    probe.mode = 'ok';
    await settle(1_000);
    expect(actor.getSnapshot().status).toBe('active');
    const after = ['a', 'b', 'c'].map((id) => refOf(client, id));
    for (const [i, ref] of after.entries()) {
      expect(ref).not.toBe(before[i]);
    }
    // Whatever ran during the failed attempt was stopped: only the final three are alive.
    expect(log.live()).toBe(3);
    expect(probe.calls).toBeGreaterThanOrEqual(3);
  });

  it('shows only the child that failed to start as restarting, the others with no actor', async () => {
    const probe = new StartProbe();
    const { actor, client } = startSupervisor({ strategy: 'one_for_all', intensity: 10 }, [
      { id: 'a', start: () => worker },
      { id: 'b', start: () => worker },
      { id: 'c', start: probe.start },
    ]);
    await settle();
    probe.mode = 'throw';
    refOf(client, 'a').send({ type: 'CRASH' });
    expect(client.whichChildren().map(({ id, child }) => [id, child])).toEqual([
      ['c', 'restarting'],
      ['b', undefined],
      ['a', undefined],
    ]);
    expect(client.countChildren()).toMatchObject({ specs: 3, active: 0 });
    // Terminating the restarting child ends the retry: nobody is left `restarting`.
    expect(await client.terminateChild('c')).toEqual({ ok: true });
    probe.mode = 'ok';
    await settle(1_000);
    expect(client.whichChildren().map(({ child }) => child)).toEqual([
      undefined,
      undefined,
      undefined,
    ]);
    expect(actor.getSnapshot().status).toBe('active');
    expect(await client.restartChild('a')).toMatchObject({ ok: true });
  });

  it('gives up, stopping every child, when failures exceed intensity', async () => {
    const log = new LifecycleLog();
    const { actor, client } = startSupervisor({ strategy: 'one_for_all', intensity: 1 }, [
      tracked(log, 'a'),
      tracked(log, 'b'),
    ]);
    await settle();
    refOf(client, 'a').send({ type: 'CRASH' });
    await settle();
    expect(actor.getSnapshot().status).toBe('active');
    refOf(client, 'b').send({ type: 'CRASH' });
    await settle();
    expect(actor.getSnapshot().status).toBe('done');
    expect(actor.getSnapshot().output).toEqual({ exitReason: 'shutdown', cause: 'intensity' });
    expect(log.live()).toBe(0);
  });

  it.each([
    ['a temporary child that crashes', 'temporary', 'CRASH'],
    ['a transient child that finishes', 'transient', 'FINISH'],
  ] as const)('restarts nobody when %s', async (_, restart, type) => {
    const log = new LifecycleLog();
    const { client } = startSupervisor({ strategy: 'one_for_all' }, [
      tracked(log, 'a'),
      tracked(log, 'b', { restart }),
      tracked(log, 'c'),
    ]);
    await settle();
    const [a, c] = [refOf(client, 'a'), refOf(client, 'c')];
    const from = log.mark();
    refOf(client, 'b').send({ type });
    await settle();
    expect(log.since(from)).toEqual([type === 'CRASH' ? 'error:b' : 'done:b']);
    expect(refOf(client, 'a')).toBe(a);
    expect(refOf(client, 'c')).toBe(c);
  });

  it('restarts a sibling kept after terminateChild with the others (as OTP)', async () => {
    const log = new LifecycleLog();
    const { client } = startSupervisor({ strategy: 'one_for_all' }, [
      tracked(log, 'a'),
      tracked(log, 'b'),
    ]);
    await settle();
    await client.terminateChild('a');
    refOf(client, 'b').send({ type: 'CRASH' });
    await settle();
    expect(refOf(client, 'a').getSnapshot().status).toBe('active');
    expect(log.live()).toBe(2);
  });
});
