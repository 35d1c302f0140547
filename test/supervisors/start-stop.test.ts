import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import {
  idsOf,
  refOf,
  settle,
  spec,
  startSupervisor,
  startsOf,
  tracked,
  viewOf,
} from './fixtures/harness.js';
import { LifecycleLog } from './fixtures/lifecycle-log.js';
import { StartProbe } from './fixtures/start-probe.js';

describe('supervisor start and stop', () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  it('starts its children in spec order', async () => {
    const log = new LifecycleLog();
    const { actor, events } = startSupervisor({}, [
      tracked(log, 'a'),
      tracked(log, 'b'),
      tracked(log, 'c'),
    ]);
    await settle();
    expect(actor.getSnapshot().status).toBe('active');
    expect(log.entries).toEqual(['start:a', 'start:b', 'start:c']);
    expect(
      events.filter((e) => e.type === 'child.started').map((e) => ('id' in e ? e.id : '')),
    ).toEqual(['a', 'b', 'c']);
  });

  it('lists its children in reverse start order with their actors and types', async () => {
    const { client, events } = startSupervisor({}, [
      spec('a'),
      spec('b'),
      spec('c', { type: 'worker' }),
    ]);
    await settle();
    expect(client.whichChildren()).toEqual([
      { id: 'c', child: startsOf(events, 'c')[0], type: 'worker' },
      { id: 'b', child: startsOf(events, 'b')[0], type: 'worker' },
      { id: 'a', child: startsOf(events, 'a')[0], type: 'worker' },
    ]);
  });

  it('creates its children with the supervisor as their parent', async () => {
    const { actor, client } = startSupervisor({}, [spec('a')]);
    await settle();
    expect(refOf(client, 'a')._parent).toBe(actor);
  });

  it('stops its children in reverse start order, then ends done with reason shutdown', async () => {
    const log = new LifecycleLog();
    const { actor, client, events } = startSupervisor({}, [
      tracked(log, 'a'),
      tracked(log, 'b'),
      tracked(log, 'c'),
    ]);
    await settle();
    const from = log.mark();
    const stopped = client.stop();
    await settle();
    await stopped;
    expect(log.since(from)).toEqual(['stop:c', 'stop:b', 'stop:a']);
    expect(log.live()).toBe(0);
    expect(actor.getSnapshot().status).toBe('done');
    expect(actor.getSnapshot().output).toEqual({ exitReason: 'shutdown', cause: 'requested' });
    expect(events).toContainEqual({ type: 'supervisor.shutdown', cause: 'requested' });
  });

  it('reports its children as exited (shutdown, not restarted) when stopped', async () => {
    const { client, events } = startSupervisor({}, [spec('a'), spec('b')]);
    await settle();
    const stopped = client.stop();
    await settle();
    await stopped;
    expect(events.filter((e) => e.type === 'child.exited')).toEqual([
      { type: 'child.exited', id: 'b', reason: 'shutdown', restart: false },
      { type: 'child.exited', id: 'a', reason: 'shutdown', restart: false },
    ]);
  });

  it('stops every child when the supervisor actor itself is stopped', async () => {
    const log = new LifecycleLog();
    const { actor } = startSupervisor({}, [tracked(log, 'a'), tracked(log, 'b')]);
    await settle();
    actor.stop();
    await settle();
    expect(actor.getSnapshot().status).toBe('stopped');
    expect(log.live()).toBe(0);
  });

  it('keeps a child whose start returns ignore, with no actor', async () => {
    const probe = new StartProbe();
    probe.mode = 'ignore';
    const { actor, client } = startSupervisor({}, [spec('a'), { id: 'b', start: probe.start }]);
    await settle();
    expect(actor.getSnapshot().status).toBe('active');
    expect(idsOf(client)).toEqual(['b', 'a']);
    expect(viewOf(client, 'b')).toBeUndefined();
    expect(client.countChildren()).toEqual({ specs: 2, active: 1, supervisors: 0, workers: 2 });
  });

  it('does not keep a temporary child whose start returns ignore', async () => {
    const probe = new StartProbe();
    probe.mode = 'ignore';
    const { client } = startSupervisor({}, [
      spec('a'),
      { id: 'b', start: probe.start, restart: 'temporary' },
    ]);
    await settle();
    expect(idsOf(client)).toEqual(['a']);
    expect(client.countChildren()).toEqual({ specs: 1, active: 1, supervisors: 0, workers: 1 });
  });

  it('fails to start when a child fails, stopping the started ones in reverse', async () => {
    const log = new LifecycleLog();
    const after = new StartProbe();
    const { actor, errors } = startSupervisor({}, [
      tracked(log, 'a'),
      tracked(log, 'b'),
      {
        id: 'broken-child',
        start: () => {
          throw new Error('no way');
        },
      },
      { id: 'never', start: after.start },
    ]);
    await settle();
    expect(actor.getSnapshot().status).toBe('error');
    expect(log.entries).toEqual(['start:a', 'start:b', 'stop:b', 'stop:a']);
    expect(after.calls).toBe(0);
    expect(errors).toHaveLength(1);
    expect(String((errors[0] as Error).message)).toContain('broken-child');
  });

  it('can be started with no children at all', async () => {
    const { actor, client } = startSupervisor({}, []);
    await settle();
    expect(actor.getSnapshot().status).toBe('active');
    expect(client.whichChildren()).toEqual([]);
    expect(client.countChildren()).toEqual({ specs: 0, active: 0, supervisors: 0, workers: 0 });
  });
});
