import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { AnyActorRef } from 'xstate';
import { createSupervisor } from '../../src/supervisors/create-supervisor.js';
import { supervisorClient } from '../../src/supervisors/supervisor-client.js';
import type { AutoShutdown, RestartType } from '../../src/supervisors/types.js';
import { refOf, settle, spec, startSupervisor, tracked, viewOf } from './fixtures/harness.js';
import { LifecycleLog } from './fixtures/lifecycle-log.js';
import type { WorkerEvent } from './fixtures/worker.js';

const finish: WorkerEvent = { type: 'FINISH' };
const crash: WorkerEvent = { type: 'CRASH' };

describe('significant children (auto_shutdown)', () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  it.each<[AutoShutdown, RestartType, 'FINISH' | 'CRASH', boolean]>([
    ['any_significant', 'transient', 'FINISH', true],
    ['any_significant', 'transient', 'CRASH', false],
    ['any_significant', 'temporary', 'FINISH', true],
    ['any_significant', 'temporary', 'CRASH', true],
    ['all_significant', 'transient', 'FINISH', true],
    ['all_significant', 'temporary', 'CRASH', true],
  ])('%s: lone significant %s child, %s, shuts it down: %s', async (mode, restart, how, down) => {
    const log = new LifecycleLog();
    const { actor, client, events } = startSupervisor({ autoShutdown: mode, intensity: 5 }, [
      tracked(log, 'other'),
      tracked(log, 's', { restart, significant: true }),
    ]);
    await settle();
    refOf(client, 's').send(how === 'FINISH' ? finish : crash);
    await settle();
    if (down) {
      expect(actor.getSnapshot().status).toBe('done');
      expect(actor.getSnapshot().output).toEqual({
        exitReason: 'shutdown',
        cause: 'auto_shutdown',
      });
      expect(events).toContainEqual({ type: 'supervisor.shutdown', cause: 'auto_shutdown' });
      expect(log.live()).toBe(0);
    } else {
      expect(actor.getSnapshot().status).toBe('active');
      expect(refOf(client, 's').getSnapshot().status).toBe('active');
    }
  });

  it('with any_significant, a non-significant child ending does not shut it down', async () => {
    const { actor, client } = startSupervisor({ autoShutdown: 'any_significant' }, [
      spec('plain', { restart: 'transient' }),
      spec('s', { restart: 'transient', significant: true }),
    ]);
    await settle();
    refOf(client, 'plain').send(finish);
    await settle();
    expect(actor.getSnapshot().status).toBe('active');
  });

  it('with all_significant, waits until the last significant child has ended', async () => {
    const { actor, client } = startSupervisor({ autoShutdown: 'all_significant' }, [
      spec('s1', { restart: 'transient', significant: true }),
      spec('s2', { restart: 'temporary', significant: true }),
      spec('plain'),
    ]);
    await settle();
    refOf(client, 's1').send(finish);
    await settle();
    expect(actor.getSnapshot().status).toBe('active');
    refOf(client, 's2').send(crash);
    await settle();
    expect(actor.getSnapshot().status).toBe('done');
    expect(actor.getSnapshot().output).toEqual({ exitReason: 'shutdown', cause: 'auto_shutdown' });
  });

  it.each<AutoShutdown>([
    'any_significant',
    'all_significant',
  ])('with %s, terminating a significant child does not shut it down', async (autoShutdown) => {
    const { actor, client } = startSupervisor({ autoShutdown }, [
      spec('s', { restart: 'transient', significant: true }),
    ]);
    await settle();
    expect(await client.terminateChild('s')).toEqual({ ok: true });
    await settle();
    expect(actor.getSnapshot().status).toBe('active');
    expect(viewOf(client, 's')).toBeUndefined();
  });

  it('does not shut down when a significant child is a bystander of a restart', async () => {
    const log = new LifecycleLog();
    const { actor, client } = startSupervisor(
      { strategy: 'one_for_all', autoShutdown: 'any_significant', intensity: 5 },
      [
        tracked(log, 'w'),
        tracked(log, 'temp', { restart: 'temporary', significant: true }),
        tracked(log, 'trans', { restart: 'transient', significant: true }),
      ],
    );
    await settle();
    const trans = refOf(client, 'trans');
    refOf(client, 'w').send(crash);
    await settle();
    expect(actor.getSnapshot().status).toBe('active');
    expect(viewOf(client, 'temp')).toBe('absent');
    expect(refOf(client, 'trans')).not.toBe(trans);
    expect(log.live()).toBe(2);
  });

  it('cascades: a significant child supervisor that shut down ends its parent too', async () => {
    const log = new LifecycleLog();
    const { actor, client } = startSupervisor({ autoShutdown: 'any_significant' }, [
      tracked(log, 'sibling'),
      {
        id: 'sub',
        type: 'supervisor',
        restart: 'transient',
        significant: true,
        start: () =>
          createSupervisor({ autoShutdown: 'any_significant' }, [
            tracked(log, 'job', { restart: 'transient', significant: true }),
          ]),
      },
    ]);
    await settle();
    const sub: AnyActorRef = refOf(client, 'sub');
    refOf(supervisorClient(sub), 'job').send(finish);
    await settle();
    expect(sub.getSnapshot().output).toEqual({ exitReason: 'shutdown', cause: 'auto_shutdown' });
    expect(actor.getSnapshot().status).toBe('done');
    expect(actor.getSnapshot().output).toEqual({ exitReason: 'shutdown', cause: 'auto_shutdown' });
    expect(log.live()).toBe(0);
  });
});
