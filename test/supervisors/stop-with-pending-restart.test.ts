import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createActor } from 'xstate';
import { createSupervisor } from '../../src/supervisors/create-supervisor.js';
import { supervisorClient } from '../../src/supervisors/supervisor-client.js';
import type { SupervisorFlags } from '../../src/supervisors/types.js';
import { refOf, settle, spec, startSupervisor, startsOf, track } from './fixtures/harness.js';
import { StartProbe } from './fixtures/start-probe.js';
import { worker } from './fixtures/worker.js';

// A supervisor stopped while a restart waits (a backoff delay, or the retry of a failed start)
// stops at once: its stop resolves, no timer of it is left to fire, no child starts after.

const backoff: SupervisorFlags = {
  intensity: 1_000,
  period: 3_600,
  random: () => 0,
  backoff: { minMs: 60_000, maxMs: 60_000 },
};

describe('stopping a supervisor with a restart pending', () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  it('client.stop() during a backoff delay resolves at once and leaves no timer', async () => {
    const harness = startSupervisor(backoff, [spec('a'), spec('b')]);
    await settle();
    refOf(harness.client, 'a').send({ type: 'CRASH' });
    await settle();
    expect(vi.getTimerCount()).toBe(1);
    const stopped = track(harness.client.stop());
    await settle();
    expect(stopped.settled).toBe(true);
    expect(vi.getTimerCount()).toBe(0);
    await settle(120_000);
    expect(startsOf(harness.events, 'a')).toHaveLength(1);
  });

  it('cancels the pending restart as the shutdown begins, while a sibling stops politely', async () => {
    const harness = startSupervisor(backoff, [
      spec('a'),
      spec('b', {
        shutdown: 'infinity',
        start: () => ({ logic: worker, input: { stopMs: 120_000 } }),
      }),
    ]);
    await settle();
    refOf(harness.client, 'a').send({ type: 'CRASH' });
    await settle();
    expect(vi.getTimerCount()).toBe(1);
    const stopped = track(harness.client.stop());
    await settle();
    // Only b's own stop delay is left: the restart of a no longer waits to fire.
    expect(vi.getTimerCount()).toBe(1);
    await settle(60_000);
    expect(startsOf(harness.events, 'a')).toHaveLength(1);
    expect(stopped.settled).toBe(false);
    await settle(60_000);
    expect(stopped.settled).toBe(true);
    expect(vi.getTimerCount()).toBe(0);
  });

  it('actor.stop() during a backoff delay leaves no timer and starts nothing', async () => {
    const harness = startSupervisor(backoff, [spec('a')]);
    await settle();
    refOf(harness.client, 'a').send({ type: 'CRASH' });
    await settle();
    harness.actor.stop();
    expect(harness.actor.getSnapshot().status).toBe('stopped');
    expect(vi.getTimerCount()).toBe(0);
    await settle(120_000);
    expect(startsOf(harness.events, 'a')).toHaveLength(1);
  });

  it('stops during the retry of a failed start; the start is not tried again', async () => {
    const probe = new StartProbe();
    const harness = startSupervisor({ intensity: 1_000, period: 3_600 }, [
      { id: 'a', start: probe.start },
    ]);
    await settle();
    probe.mode = 'throw';
    refOf(harness.client, 'a').send({ type: 'CRASH' });
    await settle();
    const tries = probe.calls;
    const stopped = track(harness.client.stop());
    await settle();
    expect(stopped.settled).toBe(true);
    expect(vi.getTimerCount()).toBe(0);
    await settle(60_000);
    expect(probe.calls).toBe(tries);
  });

  it('stops a one_for_all group waiting out a backoff, restarting none of it', async () => {
    const harness = startSupervisor({ ...backoff, strategy: 'one_for_all' }, [
      spec('a'),
      spec('b'),
      spec('c'),
    ]);
    await settle();
    refOf(harness.client, 'b').send({ type: 'CRASH' });
    await settle();
    const stopped = track(harness.client.stop());
    await settle();
    expect(stopped.settled).toBe(true);
    expect(vi.getTimerCount()).toBe(0);
    await settle(120_000);
    expect(startsOf(harness.events)).toHaveLength(3);
  });

  it('stops a tree whose nested supervisor waits out a backoff', async () => {
    let inner: ReturnType<typeof supervisorClient> | undefined;
    const root = createActor(
      createSupervisor({}, [
        {
          id: 'inner',
          type: 'supervisor',
          start: () => createSupervisor(backoff, [spec('w')]),
        },
      ]),
    );
    root.on('child.started', (event) => {
      if (event.type === 'child.started') inner = supervisorClient(event.child);
    });
    root.start();
    await settle();
    refOf(inner!, 'w').send({ type: 'CRASH' });
    await settle();
    expect(vi.getTimerCount()).toBe(1);
    const stopped = track(supervisorClient(root).stop());
    await settle();
    expect(stopped.settled).toBe(true);
    expect(root.getSnapshot().status).toBe('done');
    expect(vi.getTimerCount()).toBe(0);
  });
});
