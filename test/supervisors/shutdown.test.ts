import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createSupervisor } from '../../src/supervisors/create-supervisor.js';
import { SHUTDOWN_EVENT } from '../../src/supervisors/shutdown-event.js';
import type { ShutdownSpec } from '../../src/supervisors/types.js';
import {
  crashed,
  exitsOf,
  refOf,
  settle,
  startSupervisor,
  startsOf,
  track,
  tracked,
} from './fixtures/harness.js';
import { LifecycleLog } from './fixtures/lifecycle-log.js';
import { SHUTDOWN } from './fixtures/worker.js';

describe('shutdown', () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  it('asks children to stop with the exported SHUTDOWN_EVENT', () => {
    expect(SHUTDOWN_EVENT).toBe(SHUTDOWN);
  });

  it.each<[string, ShutdownSpec, number | null, number, 'shutdown' | 'killed']>([
    ['stops politely within the timeout', 1_000, 300, 300, 'shutdown'],
    ['kills a child still stopping when the timeout ends', 1_000, 5_000, 1_000, 'killed'],
    ['kills a child that never stops when the timeout ends', 200, null, 200, 'killed'],
    ['waits as long as it takes with infinity', 'infinity', 60_000, 60_000, 'shutdown'],
    ['kills a child that traps exits at once with brutal_kill', 'brutal_kill', 300, 0, 'killed'],
  ])('%s (shutdown %s, child stops in %s ms)', async (_, shutdown, stopMs, endsAt, reason) => {
    const log = new LifecycleLog();
    const { actor, client, events } = startSupervisor({}, [
      tracked(log, 'a', { shutdown }, { stopMs }),
    ]);
    await settle();
    const a = refOf(client, 'a');
    const stopped = track(client.stop());
    await settle();
    if (endsAt > 0) {
      expect(a.getSnapshot().value).toBe(stopMs === null ? 'hanging' : 'stopping');
      await settle(endsAt - 1);
      expect(stopped.settled).toBe(false);
      expect(a.getSnapshot().status).toBe('active');
      await settle(1);
    }
    expect(stopped.settled).toBe(true);
    expect(a.getSnapshot().status).toBe(reason === 'killed' ? 'stopped' : 'done');
    expect(exitsOf(events, 'a')).toEqual([{ id: 'a', reason, restart: false }]);
    expect(actor.getSnapshot().status).toBe('done');
  });

  it.each<ShutdownSpec>([
    1_000,
    'infinity',
  ])('stops a child not trapping exits at once (shutdown %s), reason shutdown', async (spec) => {
    const log = new LifecycleLog();
    const { client, events } = startSupervisor({}, [tracked(log, 'a', { shutdown: spec })]);
    await settle();
    const stopped = track(client.stop());
    await settle();
    expect(stopped.settled).toBe(true);
    expect(log.entries).toEqual(['start:a', 'stop:a']);
    expect(exitsOf(events, 'a')).toEqual([{ id: 'a', reason: 'shutdown', restart: false }]);
  });

  it('gives a worker 5000 ms by default', async () => {
    const log = new LifecycleLog();
    const { client, events } = startSupervisor({}, [tracked(log, 'a', {}, { stopMs: null })]);
    await settle();
    const stopped = track(client.stop());
    await settle(4_999);
    expect(stopped.settled).toBe(false);
    await settle(1);
    expect(stopped.settled).toBe(true);
    expect(exitsOf(events, 'a')).toEqual([{ id: 'a', reason: 'killed', restart: false }]);
  });

  it('waits for a child supervisor as long as it takes by default', async () => {
    const log = new LifecycleLog();
    const { client, events } = startSupervisor({}, [
      {
        id: 'sub',
        type: 'supervisor',
        start: () =>
          createSupervisor({}, [
            tracked(log, 'slow', { shutdown: 'infinity' }, { stopMs: 20_000 }),
          ]),
      },
    ]);
    await settle();
    const stopped = track(client.stop());
    await settle(19_999);
    expect(stopped.settled).toBe(false);
    expect(log.live()).toBe(1);
    await settle(1);
    expect(stopped.settled).toBe(true);
    expect(exitsOf(events, 'sub')).toEqual([{ id: 'sub', reason: 'shutdown', restart: false }]);
  });

  it('stops children one after the other, in reverse start order', async () => {
    const log = new LifecycleLog();
    const { client } = startSupervisor({}, [
      tracked(log, 'a', { shutdown: 1_000 }, { stopMs: 100 }),
      tracked(log, 'b', { shutdown: 1_000 }, { stopMs: 100 }),
      tracked(log, 'c', { shutdown: 1_000 }, { stopMs: 100 }),
    ]);
    await settle();
    const [a, b, c] = ['a', 'b', 'c'].map((id) => refOf(client, id));
    const stopped = track(client.stop());
    await settle();
    expect([a, b, c].map((ref) => ref?.getSnapshot().value)).toEqual([
      'running',
      'running',
      'stopping',
    ]);
    await settle(100);
    expect([a, b].map((ref) => ref?.getSnapshot().value)).toEqual(['running', 'stopping']);
    await settle(100);
    expect(a?.getSnapshot().value).toBe('stopping');
    expect(stopped.settled).toBe(false);
    await settle(100);
    expect(stopped.settled).toBe(true);
    expect(log.entries.filter((entry) => !entry.startsWith('start:'))).toEqual([
      'done:c',
      'done:b',
      'done:a',
    ]);
  });

  it('neither hangs nor restarts when a child exits by itself while stopping', async () => {
    const log = new LifecycleLog();
    const { actor, client, events } = startSupervisor({}, [
      tracked(log, 'quick'),
      tracked(log, 'crashy'),
      tracked(log, 'slow', { shutdown: 'infinity' }, { stopMs: 1_000 }),
    ]);
    await settle();
    const stopped = track(client.stop());
    await settle();
    refOf(client, 'quick').send({ type: 'FINISH' });
    refOf(client, 'crashy').send({ type: 'CRASH' });
    await settle(1_000);
    expect(stopped.settled).toBe(true);
    expect(startsOf(events)).toHaveLength(3);
    expect(exitsOf(events, 'quick')).toEqual([{ id: 'quick', reason: 'normal', restart: false }]);
    expect(exitsOf(events, 'crashy')).toEqual([{ id: 'crashy', reason: crashed, restart: false }]);
    expect(actor.getSnapshot().status).toBe('done');
    expect(log.live()).toBe(0);
  });

  it('terminates a single child with the same shutdown rules', async () => {
    const log = new LifecycleLog();
    const { actor, client, events } = startSupervisor({}, [
      tracked(log, 'a', { shutdown: 1_000 }, { stopMs: null }),
      tracked(log, 'b'),
    ]);
    await settle();
    const result = track(client.terminateChild('a'));
    await settle(999);
    expect(result.settled).toBe(false);
    await settle(1);
    expect(await result.promise).toEqual({ ok: true });
    expect(exitsOf(events, 'a')).toEqual([{ id: 'a', reason: 'killed', restart: false }]);
    expect(actor.getSnapshot().status).toBe('active');
    expect(log.live()).toBe(1);
  });

  it('emits supervisor.shutdown once, when stopped twice', async () => {
    const { actor, client, events } = startSupervisor({}, [tracked(new LifecycleLog(), 'a')]);
    await settle();
    const first = client.stop();
    const second = client.stop();
    await settle();
    await Promise.all([first, second]);
    expect(events.filter((e) => e.type === 'supervisor.shutdown')).toEqual([
      { type: 'supervisor.shutdown', cause: 'requested' },
    ]);
    expect(actor.getSnapshot().status).toBe('done');
  });

  it.each<[string, ShutdownSpec, number]>([
    ['kills a brutal_kill child supervisor at once', 'brutal_kill', 0],
    ['kills a child supervisor still stopping at its timeout', 1_000, 1_000],
  ])('%s, leaving none of its children running', async (_, shutdown, endsAt) => {
    const log = new LifecycleLog();
    const { client, events } = startSupervisor({}, [
      {
        id: 'sub',
        type: 'supervisor',
        shutdown,
        start: () =>
          createSupervisor({}, [
            tracked(log, 'g1'),
            tracked(log, 'g2', { shutdown: 'infinity' }, { stopMs: null }),
          ]),
      },
    ]);
    await settle();
    const stopped = track(client.stop());
    await settle(endsAt);
    expect(stopped.settled).toBe(true);
    expect(exitsOf(events, 'sub')).toEqual([{ id: 'sub', reason: 'killed', restart: false }]);
    expect(log.live()).toBe(0);
  });
});
