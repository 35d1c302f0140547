import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { exitsOf, refOf, settle, spec, startSupervisor, tracked } from './fixtures/harness.js';
import { LifecycleLog } from './fixtures/lifecycle-log.js';

describe('restart intensity', () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  it.each([
    0, 1, 3,
  ])('with intensity %i, the (intensity+1)-th failure in the period ends it', async (intensity) => {
    const { actor, client, events } = startSupervisor({ intensity, period: 5 }, [spec('a')]);
    await settle();
    for (let i = 0; i < intensity; i += 1) {
      refOf(client, 'a').send({ type: 'CRASH' });
      await settle(100);
      expect(actor.getSnapshot().status).toBe('active');
    }
    refOf(client, 'a').send({ type: 'CRASH' });
    await settle();
    expect(actor.getSnapshot().status).toBe('done');
    expect(actor.getSnapshot().output).toEqual({ exitReason: 'shutdown', cause: 'intensity' });
    expect(events).toContainEqual({ type: 'supervisor.shutdown', cause: 'intensity' });
  });

  it('never gives up on restarts spaced wider than the period', async () => {
    const { actor, client, events } = startSupervisor({ intensity: 1, period: 5 }, [spec('a')]);
    await settle();
    for (let i = 0; i < 10; i += 1) {
      refOf(client, 'a').send({ type: 'CRASH' });
      await settle(5_001);
      expect(actor.getSnapshot().status).toBe('active');
    }
    expect(events.filter((e) => e.type === 'child.started')).toHaveLength(11);
  });

  it('still counts a restart exactly one period old (OTP keeps t >= now - period)', async () => {
    const { actor, client } = startSupervisor({ intensity: 1, period: 5 }, [spec('a')]);
    await settle();
    refOf(client, 'a').send({ type: 'CRASH' });
    await settle(5_000);
    refOf(client, 'a').send({ type: 'CRASH' });
    await settle();
    expect(actor.getSnapshot().status).toBe('done');
  });

  it('forgets restarts older than the period (a sliding window)', async () => {
    const { actor, client } = startSupervisor({ intensity: 2, period: 10 }, [spec('a')]);
    await settle();
    const crashAt = async (ms: number) => {
      await settle(ms);
      refOf(client, 'a').send({ type: 'CRASH' });
      await settle();
    };
    await crashAt(0); // t = 0
    await crashAt(6_000); // t = 6 s
    await crashAt(6_000); // t = 12 s: the restart at 0 has left the window
    expect(actor.getSnapshot().status).toBe('active');
    await crashAt(1_000); // t = 13 s: 6, 12 and 13 are within 10 s
    expect(actor.getSnapshot().status).toBe('done');
  });

  it('counts the restarts of all children together', async () => {
    const { actor, client } = startSupervisor({ intensity: 1, period: 5 }, [spec('a'), spec('b')]);
    await settle();
    refOf(client, 'a').send({ type: 'CRASH' });
    await settle(1_000);
    expect(actor.getSnapshot().status).toBe('active');
    refOf(client, 'b').send({ type: 'CRASH' });
    await settle();
    expect(actor.getSnapshot().status).toBe('done');
  });

  it('defaults to intensity 1 within 5 seconds', async () => {
    const { actor, client } = startSupervisor({}, [spec('a')]);
    await settle();
    refOf(client, 'a').send({ type: 'CRASH' });
    await settle(5_001);
    refOf(client, 'a').send({ type: 'CRASH' });
    await settle(4_999);
    expect(actor.getSnapshot().status).toBe('active');
    refOf(client, 'a').send({ type: 'CRASH' });
    await settle();
    expect(actor.getSnapshot().status).toBe('done');
  });

  it('does not count exits that need no restart', async () => {
    const { actor, client } = startSupervisor({ intensity: 0 }, [
      spec('t', { restart: 'transient' }),
      spec('tmp', { restart: 'temporary' }),
    ]);
    await settle();
    refOf(client, 't').send({ type: 'FINISH' });
    refOf(client, 'tmp').send({ type: 'CRASH' });
    await settle();
    expect(actor.getSnapshot().status).toBe('active');
  });

  it('when giving up, stops the remaining children in reverse start order', async () => {
    const log = new LifecycleLog();
    const { actor, client, events } = startSupervisor({ intensity: 0 }, [
      tracked(log, 'a'),
      tracked(log, 'b'),
      tracked(log, 'c'),
    ]);
    await settle();
    const from = log.mark();
    refOf(client, 'b').send({ type: 'CRASH' });
    await settle();
    expect(log.since(from)).toEqual(['error:b', 'stop:c', 'stop:a']);
    expect(log.live()).toBe(0);
    expect(actor.getSnapshot().status).toBe('done');
    expect(exitsOf(events).filter((exit) => exit.id !== 'b')).toEqual([
      { id: 'c', reason: 'shutdown', restart: false },
      { id: 'a', reason: 'shutdown', restart: false },
    ]);
  });

  it('when giving up, stops children that trap exits politely before ending', async () => {
    const log = new LifecycleLog();
    const { actor, client } = startSupervisor({ intensity: 0 }, [
      tracked(log, 'slow', { shutdown: 1_000 }, { stopMs: 500 }),
      tracked(log, 'b'),
    ]);
    await settle();
    refOf(client, 'b').send({ type: 'CRASH' });
    await settle(499);
    expect(actor.getSnapshot().status).toBe('active');
    await settle(1);
    expect(log.entries).toContain('done:slow');
    expect(actor.getSnapshot().status).toBe('done');
  });
});
