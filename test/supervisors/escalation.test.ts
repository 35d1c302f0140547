import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { AnyActorRef } from 'xstate';
import { createSupervisor } from '../../src/supervisors/create-supervisor.js';
import { supervisorClient } from '../../src/supervisors/supervisor-client.js';
import type { ChildSpec, SupervisorFlags } from '../../src/supervisors/types.js';
import {
  exitsOf,
  listen,
  refOf,
  settle,
  spec,
  startSupervisor,
  tracked,
} from './fixtures/harness.js';
import { LifecycleLog } from './fixtures/lifecycle-log.js';

function sub(
  id: string,
  flags: SupervisorFlags,
  specs: readonly ChildSpec[],
  extra: Partial<ChildSpec> = {},
): ChildSpec {
  return { id, type: 'supervisor', start: () => createSupervisor(flags, specs), ...extra };
}

function childOf(ref: AnyActorRef, id: string): AnyActorRef {
  return refOf(supervisorClient(ref), id);
}

describe('escalation', () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  it('restarts a permanent child supervisor that gave up, seeing reason shutdown', async () => {
    const log = new LifecycleLog();
    const { actor, client, events } = startSupervisor({ intensity: 1 }, [
      sub('sub', { intensity: 0 }, [tracked(log, 'w1'), tracked(log, 'w2')]),
    ]);
    await settle();
    const before = refOf(client, 'sub');
    childOf(before, 'w1').send({ type: 'CRASH' });
    await settle();
    expect(before.getSnapshot().status).toBe('done');
    expect(before.getSnapshot().output).toEqual({ exitReason: 'shutdown', cause: 'intensity' });
    expect(exitsOf(events, 'sub')).toEqual([{ id: 'sub', reason: 'shutdown', restart: true }]);
    const after = refOf(client, 'sub');
    expect(after).not.toBe(before);
    expect(childOf(after, 'w1').getSnapshot().status).toBe('active');
    expect(actor.getSnapshot().status).toBe('active');
    expect(log.live()).toBe(2);
  });

  it('does not restart a transient child supervisor that gave up', async () => {
    const log = new LifecycleLog();
    const { actor, client, events } = startSupervisor({}, [
      sub('sub', { intensity: 0 }, [tracked(log, 'w1')], { restart: 'transient' }),
      tracked(log, 'other'),
    ]);
    await settle();
    childOf(refOf(client, 'sub'), 'w1').send({ type: 'CRASH' });
    await settle();
    expect(exitsOf(events, 'sub')).toEqual([{ id: 'sub', reason: 'shutdown', restart: false }]);
    expect(client.whichChildren().find((info) => info.id === 'sub')?.child).toBeUndefined();
    expect(actor.getSnapshot().status).toBe('active');
    expect(log.live()).toBe(1);
  });

  it('counts the restart of a child supervisor against its own intensity', async () => {
    const { actor, client } = startSupervisor({ intensity: 1 }, [
      sub('sub', { intensity: 0 }, [spec('w')]),
    ]);
    await settle();
    childOf(refOf(client, 'sub'), 'w').send({ type: 'CRASH' });
    await settle();
    expect(actor.getSnapshot().status).toBe('active');
    childOf(refOf(client, 'sub'), 'w').send({ type: 'CRASH' });
    await settle();
    expect(actor.getSnapshot().status).toBe('done');
    expect(actor.getSnapshot().output).toEqual({ exitReason: 'shutdown', cause: 'intensity' });
  });

  it('applies the parent strategy to a tree: one_for_all restarts every subtree', async () => {
    const log = new LifecycleLog();
    const { actor, client } = startSupervisor({ strategy: 'one_for_all', intensity: 1 }, [
      sub('sub1', { intensity: 0 }, [tracked(log, 'w1'), tracked(log, 'w2')]),
      sub('sub2', { intensity: 1 }, [tracked(log, 'w3'), tracked(log, 'w4')]),
    ]);
    await settle();
    const sub1 = refOf(client, 'sub1');
    const sub2 = refOf(client, 'sub2');
    const workers = [childOf(sub1, 'w1'), childOf(sub1, 'w2'), childOf(sub2, 'w3')];
    const from = log.mark();
    workers[0]?.send({ type: 'CRASH' });
    await settle();
    expect(log.since(from)).toEqual([
      'error:w1',
      'stop:w2',
      'stop:w4',
      'stop:w3',
      'start:w1',
      'start:w2',
      'start:w3',
      'start:w4',
    ]);
    expect(actor.getSnapshot().status).toBe('active');
    expect(refOf(client, 'sub1')).not.toBe(sub1);
    expect(refOf(client, 'sub2')).not.toBe(sub2);
    expect(log.live()).toBe(4);
    expect(childOf(refOf(client, 'sub2'), 'w3')).not.toBe(workers[2]);
  });

  it('keeps a failure inside a subtree that stays within its intensity', async () => {
    const log = new LifecycleLog();
    const { client, events } = startSupervisor({ strategy: 'one_for_all' }, [
      sub('sub1', {}, [tracked(log, 'w1')]),
      sub('sub2', {}, [tracked(log, 'w3'), tracked(log, 'w4')]),
    ]);
    await settle();
    const [sub1, sub2] = [refOf(client, 'sub1'), refOf(client, 'sub2')];
    const subEvents = listen(sub2);
    const w4 = childOf(sub2, 'w4');
    childOf(sub2, 'w3').send({ type: 'CRASH' });
    await settle();
    expect(refOf(client, 'sub1')).toBe(sub1);
    expect(refOf(client, 'sub2')).toBe(sub2);
    expect(childOf(sub2, 'w4')).toBe(w4);
    expect(exitsOf(events)).toEqual([]);
    expect(exitsOf(subEvents, 'w3')).toHaveLength(1);
  });

  it('ends the root when its child supervisors escalate beyond its intensity', async () => {
    const log = new LifecycleLog();
    const { actor, client } = startSupervisor({ intensity: 0 }, [
      sub('sub', { intensity: 0 }, [tracked(log, 'w')]),
      tracked(log, 'sibling'),
    ]);
    await settle();
    childOf(refOf(client, 'sub'), 'w').send({ type: 'CRASH' });
    await settle();
    expect(actor.getSnapshot().status).toBe('done');
    expect(actor.getSnapshot().output).toEqual({ exitReason: 'shutdown', cause: 'intensity' });
    expect(log.live()).toBe(0);
  });

  it('serves the dynamic API on a nested supervisor', async () => {
    const { client } = startSupervisor({}, [sub('sub', {}, [])]);
    await settle();
    const nested = supervisorClient(refOf(client, 'sub'));
    const result = await nested.startChild(spec('late'));
    expect(result.ok).toBe(true);
    expect(nested.countChildren()).toEqual({ specs: 1, active: 1, supervisors: 0, workers: 1 });
    expect(client.countChildren()).toEqual({ specs: 1, active: 1, supervisors: 1, workers: 0 });
  });
});
