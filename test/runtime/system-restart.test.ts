import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { AnyActorRef } from 'xstate';
import { rateLimiterClient } from '../../src/resilience/limiter/rate-limiter-client.js';
import { createRuntime, type Runtime } from '../../src/runtime/create-runtime.js';
import { supervisorClient } from '../../src/supervisors/supervisor-client.js';
import { scriptedSpawn } from '../helpers/scripted-spawn.js';
import { settle } from '../orchestration/patterns/harness.js';

/** The actor of child `id` of a supervisor actor, now. */
function childOf(supervisor: AnyActorRef, id: string): AnyActorRef {
  const row = supervisorClient(supervisor)
    .whichChildren()
    .find((c) => c.id === id);
  if (!row || typeof row.child !== 'object') throw new Error(`${id} is not running`);
  return row.child;
}

/** Has the supervisor end child `id` and start it again: a new actor. */
async function restart(supervisor: AnyActorRef, id: string): Promise<AnyActorRef> {
  expect((await supervisorClient(supervisor).terminateChild(id)).ok).toBe(true);
  expect((await supervisorClient(supervisor).restartChild(id)).ok).toBe(true);
  return childOf(supervisor, id);
}

describe('a runtime’s system actors, looked up by systemId (fake CLI, fake timers)', () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  function runtimeWith(): Runtime {
    const { spawn } = scriptedSpawn((prompt) => ({ text: `ok ${prompt}`, delayMs: 1_000 }));
    return createRuntime({
      defaults: { executable: process.execPath, retry: { maxAttempts: 1 } },
      limiter: { maxConcurrent: 1 },
      processes: { spawn },
    });
  }

  async function stop(runtime: Runtime): Promise<void> {
    const stopped = runtime.stop({ deadlineMs: 0 });
    await vi.runAllTimersAsync();
    await stopped;
  }

  it('admits the next query through the restarted limiter, not the old one', async () => {
    const runtime = runtimeWith();
    // A query through the first limiter, so the runtime has used it.
    expect((await settle(runtime.query('before the restart').result)).status).toBe('succeeded');
    const system = childOf(runtime.root, 'system');
    const old = childOf(system, 'limiter');
    const fresh = await restart(system, 'limiter');
    expect(fresh).not.toBe(old);
    expect(old.getSnapshot().status).toBe('stopped');

    const query = runtime.query('after the restart');
    await vi.advanceTimersByTimeAsync(10);
    expect(rateLimiterClient(fresh).state().inFlight).toBe(1);
    expect(runtime.system().limiter?.state().inFlight).toBe(1);
    expect((await settle(query.result)).status).toBe('succeeded');
    await vi.advanceTimersByTimeAsync(0);
    expect(rateLimiterClient(fresh).state().inFlight).toBe(0);
    await stop(runtime);
  });

  it('finds the new limiter, breaker and budget after the whole system supervisor restarted', async () => {
    const runtime = runtimeWith();
    expect((await settle(runtime.query('before').result)).status).toBe('succeeded');
    const oldSystem = childOf(runtime.root, 'system');
    const oldBudget = childOf(oldSystem, 'budget');
    const system = await restart(runtime.root, 'system');
    expect(system).not.toBe(oldSystem);
    expect(oldBudget.getSnapshot().status).toBe('stopped');

    expect((await settle(runtime.query('counted').result)).status).toBe('succeeded');
    // The new budget (started empty) counted it: stats and the snapshot read the live actors.
    expect(runtime.stats().total.queries).toBe(1);
    expect(childOf(system, 'budget').getSnapshot().status).toBe('active');
    const snapshot = runtime.snapshot();
    expect(Object.keys(snapshot).sort()).toEqual(['breaker', 'budget', 'limiter']);
    expect(snapshot.budget).toEqual(childOf(system, 'budget').getPersistedSnapshot());
    await stop(runtime);
    // After the stop, stats still read the last budget.
    expect(runtime.stats().total.queries).toBe(1);
  });

  it('after stop, still hands out the clients of the stopped actors, though no query used them', async () => {
    const runtime = runtimeWith();
    const budget = childOf(childOf(runtime.root, 'system'), 'budget');
    await stop(runtime);
    const { limiter, breaker, budget: budgetClient } = runtime.system();
    expect([limiter, breaker, budgetClient].every((client) => client !== undefined)).toBe(true);
    expect(limiter?.state().inFlight).toBe(0);
    expect(runtime.stats()).toEqual(budgetClient?.stats());
    expect(budget.getSnapshot().status).toBe('stopped');
    // Nothing is running to persist.
    expect(runtime.snapshot()).toEqual({});
  });
});
