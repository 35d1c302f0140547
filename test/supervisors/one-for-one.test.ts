import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import {
  crashed,
  exitsOf,
  idsOf,
  refOf,
  settle,
  spec,
  startSupervisor,
  startsOf,
  tracked,
} from './fixtures/harness.js';
import { LifecycleLog } from './fixtures/lifecycle-log.js';

describe('one_for_one', () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  it('restarts only the failed child', async () => {
    const log = new LifecycleLog();
    const { client } = startSupervisor({ strategy: 'one_for_one' }, [
      tracked(log, 'a'),
      tracked(log, 'b'),
      tracked(log, 'c'),
    ]);
    await settle();
    const [a, b, c] = ['a', 'b', 'c'].map((id) => refOf(client, id));
    const from = log.mark();
    b?.send({ type: 'CRASH' });
    await settle();
    expect(log.since(from)).toEqual(['error:b', 'start:b']);
    expect(refOf(client, 'a')).toBe(a);
    expect(refOf(client, 'b')).not.toBe(b);
    expect(refOf(client, 'c')).toBe(c);
    expect(log.live()).toBe(3);
  });

  it('reports the exit, then the new start, of the restarted child', async () => {
    const { client, events } = startSupervisor({}, [spec('a')]);
    await settle();
    const before = refOf(client, 'a');
    events.length = 0;
    before.send({ type: 'CRASH' });
    await settle();
    expect(events).toEqual([
      { type: 'child.exited', id: 'a', reason: crashed, restart: true },
      { type: 'child.started', id: 'a', child: refOf(client, 'a') },
    ]);
  });

  it('gives the restarted child a fresh actor that can fail and be restarted again', async () => {
    const { client, events } = startSupervisor({ intensity: 3 }, [spec('a')]);
    await settle();
    for (let i = 0; i < 3; i += 1) {
      refOf(client, 'a').send({ type: 'CRASH' });
      await settle();
    }
    const starts = startsOf(events, 'a');
    expect(starts).toHaveLength(4);
    expect(new Set(starts).size).toBe(4);
    expect(exitsOf(events, 'a')).toHaveLength(3);
    expect(refOf(client, 'a').getSnapshot().value).toBe('running');
  });

  it('keeps a restarted child in its place in the start order', async () => {
    const { client } = startSupervisor({}, [spec('a'), spec('b'), spec('c')]);
    await settle();
    refOf(client, 'a').send({ type: 'CRASH' });
    await settle();
    expect(idsOf(client)).toEqual(['c', 'b', 'a']);
  });

  it('leaves the supervisor running after a restart within intensity', async () => {
    const { actor, client } = startSupervisor({}, [spec('a'), spec('b')]);
    await settle();
    refOf(client, 'b').send({ type: 'CRASH' });
    await settle();
    expect(actor.getSnapshot().status).toBe('active');
    expect(client.countChildren()).toEqual({ specs: 2, active: 2, supervisors: 0, workers: 2 });
  });
});
