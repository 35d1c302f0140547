import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import {
  idsOf,
  refOf,
  settle,
  startSupervisor,
  startsOf,
  tracked,
  viewOf,
} from './fixtures/harness.js';
import { LifecycleLog } from './fixtures/lifecycle-log.js';
import { StartProbe } from './fixtures/start-probe.js';
import { worker } from './fixtures/worker.js';

describe('rest_for_one', () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  it('restarts the failed child and those started after it, in start order', async () => {
    const log = new LifecycleLog();
    const { client } = startSupervisor({ strategy: 'rest_for_one' }, [
      tracked(log, 'a'),
      tracked(log, 'b'),
      tracked(log, 'c'),
      tracked(log, 'd'),
    ]);
    await settle();
    const [a, b, c, d] = ['a', 'b', 'c', 'd'].map((id) => refOf(client, id));
    const from = log.mark();
    b?.send({ type: 'CRASH' });
    await settle();
    expect(log.since(from)).toEqual([
      'error:b',
      'stop:d',
      'stop:c',
      'start:b',
      'start:c',
      'start:d',
    ]);
    expect(refOf(client, 'a')).toBe(a);
    for (const [id, old] of [
      ['b', b],
      ['c', c],
      ['d', d],
    ] as const) {
      expect(refOf(client, id)).not.toBe(old);
    }
    expect(log.live()).toBe(4);
    expect(idsOf(client)).toEqual(['d', 'c', 'b', 'a']);
  });

  it('restarts only the last child when the last one fails', async () => {
    const log = new LifecycleLog();
    const { client } = startSupervisor({ strategy: 'rest_for_one' }, [
      tracked(log, 'a'),
      tracked(log, 'b'),
      tracked(log, 'c'),
    ]);
    await settle();
    const [a, b, c] = ['a', 'b', 'c'].map((id) => refOf(client, id));
    c?.send({ type: 'CRASH' });
    await settle();
    expect(refOf(client, 'a')).toBe(a);
    expect(refOf(client, 'b')).toBe(b);
    expect(refOf(client, 'c')).not.toBe(c);
  });

  it('restarts every child when the first one fails', async () => {
    const log = new LifecycleLog();
    const { client } = startSupervisor({ strategy: 'rest_for_one' }, [
      tracked(log, 'a'),
      tracked(log, 'b'),
    ]);
    await settle();
    const [a, b] = ['a', 'b'].map((id) => refOf(client, id));
    a?.send({ type: 'CRASH' });
    await settle();
    expect(refOf(client, 'a')).not.toBe(a);
    expect(refOf(client, 'b')).not.toBe(b);
    expect(log.live()).toBe(2);
  });

  it('stops the ones it restarted and retries when a later one fails to start', async () => {
    const log = new LifecycleLog();
    const probe = new StartProbe(() => ({ logic: worker, input: { name: 'd', log } }));
    const { actor, client } = startSupervisor({ strategy: 'rest_for_one', intensity: 10 }, [
      tracked(log, 'a'),
      tracked(log, 'b'),
      tracked(log, 'c'),
      { id: 'd', start: probe.start },
    ]);
    await settle();
    const [a, b, c, d] = ['a', 'b', 'c', 'd'].map((id) => refOf(client, id));
    probe.mode = 'throw';
    b?.send({ type: 'CRASH' });
    expect(viewOf(client, 'd')).toBe('restarting');
    probe.mode = 'ok';
    await settle(1_000);
    expect(actor.getSnapshot().status).toBe('active');
    expect(refOf(client, 'a')).toBe(a);
    for (const [id, old] of [
      ['b', b],
      ['c', c],
      ['d', d],
    ] as const) {
      expect(refOf(client, id)).not.toBe(old);
    }
    expect(log.live()).toBe(4);
  });

  it('retries from the child that failed to start, keeping those restarted before it', async () => {
    const log = new LifecycleLog();
    const probe = new StartProbe(() => ({ logic: worker, input: { name: 'd', log } }));
    const { actor, client, events } = startSupervisor({ strategy: 'rest_for_one', intensity: 10 }, [
      tracked(log, 'a'),
      tracked(log, 'b'),
      tracked(log, 'c'),
      { id: 'd', start: probe.start },
    ]);
    await settle();
    probe.mode = 'throw';
    refOf(client, 'b').send({ type: 'CRASH' });
    // b and c were restarted; only d, which failed to start, is `restarting`.
    const b = refOf(client, 'b');
    const c = refOf(client, 'c');
    expect(viewOf(client, 'd')).toBe('restarting');
    const from = log.mark();
    probe.mode = 'ok';
    await settle(1_000);
    expect(actor.getSnapshot().status).toBe('active');
    expect(refOf(client, 'b')).toBe(b);
    expect(refOf(client, 'c')).toBe(c);
    expect(log.since(from)).toEqual(['start:d']);
    expect(startsOf(events, 'b')).toHaveLength(2);
    expect(log.live()).toBe(4);
  });

  it('gives up, stopping every child, when failures exceed intensity', async () => {
    const log = new LifecycleLog();
    const { actor, client } = startSupervisor({ strategy: 'rest_for_one', intensity: 1 }, [
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

  it('stops a temporary child started later for good, as a bystander', async () => {
    const log = new LifecycleLog();
    const { actor, client } = startSupervisor({ strategy: 'rest_for_one', intensity: 1 }, [
      tracked(log, 'a'),
      tracked(log, 'b'),
      tracked(log, 'temp', { restart: 'temporary' }),
    ]);
    await settle();
    refOf(client, 'b').send({ type: 'CRASH' });
    await settle();
    expect(actor.getSnapshot().status).toBe('active');
    expect(idsOf(client)).toEqual(['b', 'a']);
    expect(log.live()).toBe(2);
  });
});
