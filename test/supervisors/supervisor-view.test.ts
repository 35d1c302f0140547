import { describe, expect, it } from 'vitest';
import { createActor, createMachine } from 'xstate';
import { createCircuitBreaker } from '../../src/resilience/breaker/create-circuit-breaker.js';
import { createRateLimiter } from '../../src/resilience/limiter/create-rate-limiter.js';
import { createSupervisor } from '../../src/supervisors/create-supervisor.js';
import { SHUTDOWN_EVENT } from '../../src/supervisors/shutdown-event.js';
import { supervisorClient } from '../../src/supervisors/supervisor-client.js';
import { supervisorViewOf } from '../../src/supervisors/supervisor-view.js';

const idle = createMachine({});

describe('a supervisor snapshot view', () => {
  it('publishes its children with their actors, and tells supervisors apart', () => {
    const actor = createActor(
      createSupervisor({ strategy: 'one_for_one' }, [
        { id: 'a', start: () => idle },
        { id: 'b', start: () => idle, type: 'supervisor' },
      ]),
    ).start();
    const view = supervisorViewOf(actor.getSnapshot());
    expect(view).toBe(actor.getSnapshot().view);
    const children = view!.children();
    expect(children.map((c) => [c.id, c.type, c.status, c.ref?.id])).toEqual([
      ['a', 'worker', 'running', 'a'],
      ['b', 'supervisor', 'running', 'b'],
    ]);
    expect(view!.whichChildren()).toEqual(supervisorClient(actor).whichChildren());
    expect(view!.countChildren()).toEqual({ specs: 2, active: 2, supervisors: 1, workers: 1 });
    expect(view!.restartsInPeriod()).toBe(0);
    expect(supervisorViewOf(children[0]!.ref!.getSnapshot())).toBeUndefined();
    expect(supervisorViewOf(undefined)).toBeUndefined();
    actor.stop();
  });

  it('keeps the snapshot plain: no symbol keys, JSON without live actors', () => {
    const actors = [
      createActor(createSupervisor({}, [{ id: 'a', start: () => idle }])).start(),
      createActor(createRateLimiter({ maxConcurrent: 2 })).start(),
      createActor(createCircuitBreaker()).start(),
    ];
    for (const actor of actors) {
      const snapshot = actor.getSnapshot();
      expect(Object.getOwnPropertySymbols(snapshot)).toEqual([]);
      expect(() => JSON.stringify(snapshot)).not.toThrow();
      actor.stop();
    }
    const supervisor = createActor(createSupervisor({}, [{ id: 'a', start: () => idle }])).start();
    const json = JSON.parse(JSON.stringify(supervisor.getSnapshot()));
    expect(json.view).toEqual({ supervisor: 'one_for_one', children: 1 });
    expect(json.context.children).toEqual([
      { id: 'a', type: 'worker', status: 'running', actorId: 'a', restarts: 0 },
    ]);
    supervisor.stop();
  });

  it('shuts a supervisor started as a worker down gracefully (its snapshot says what it is)', async () => {
    const log: string[] = [];
    const leaf = createMachine({
      initial: 'running',
      states: {
        running: {
          on: { [SHUTDOWN_EVENT]: { target: 'done', actions: () => log.push('leaf shut down') } },
        },
        done: { type: 'final' },
      },
    });
    const inner = createSupervisor({}, [{ id: 'leaf', start: () => leaf, shutdown: 1_000 }]);
    const outer = createActor(
      createSupervisor({}, [{ id: 'inner', type: 'worker', shutdown: 1_000, start: () => inner }]),
    ).start();
    await supervisorClient(outer).stop();
    expect(log).toEqual(['leaf shut down']);
  });
});
