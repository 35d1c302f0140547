import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { type AnyActorRef, createActor, type InspectionEvent } from 'xstate';
import { circuitBreakerClient } from '../../src/resilience/breaker/circuit-breaker-client.js';
import { createCircuitBreaker } from '../../src/resilience/breaker/create-circuit-breaker.js';
import { budgetClient } from '../../src/resilience/budget/budget-client.js';
import { createBudget } from '../../src/resilience/budget/create-budget.js';
import { createRateLimiter } from '../../src/resilience/limiter/create-rate-limiter.js';
import { rateLimiterClient } from '../../src/resilience/limiter/rate-limiter-client.js';
import { createSupervisor } from '../../src/supervisors/create-supervisor.js';
import { supervisorClient } from '../../src/supervisors/supervisor-client.js';

beforeEach(() => {
  vi.useFakeTimers({ now: Date.UTC(2026, 0, 1) });
});
afterEach(() => {
  vi.useRealTimers();
});

describe('resilience actors under a supervisor', () => {
  it('run as supervised children, visible to the inspector, used through their clients', async () => {
    const events: InspectionEvent[] = [];
    const supervisor = createActor(
      createSupervisor({ strategy: 'one_for_one' }, [
        { id: 'limiter', start: () => createRateLimiter({ maxConcurrent: 1 }) },
        { id: 'breaker', start: () => createCircuitBreaker() },
        { id: 'budget', start: () => createBudget({ totalUsd: 1 }) },
      ]),
      { inspect: (event) => events.push(event) },
    ).start();
    await vi.advanceTimersByTimeAsync(0);
    const children = new Map(
      supervisorClient(supervisor)
        .whichChildren()
        .map((info) => [info.id, info.child as AnyActorRef]),
    );
    const limiter = rateLimiterClient(children.get('limiter')!);
    const breaker = circuitBreakerClient(children.get('breaker')!);
    const budget = budgetClient(children.get('budget')!);

    await budget.reserve({ requestId: 'q1', tags: [] });
    await breaker.allow({ requestId: 'q1' });
    const permit = await limiter.acquire({ requestId: 'q1' });
    expect(permit.requestId).toBe('q1');
    expect(limiter.state().inFlight).toBe(1);
    limiter.release('q1');
    breaker.record('q1', { ok: true });

    const actorIds = new Set(
      events.filter((e) => e.type === '@xstate.actor').map((e) => (e.actorRef as AnyActorRef).id),
    );
    expect(actorIds).toEqual(new Set(['limiter', 'breaker', 'budget', supervisor.id]));
    const inspectedEvents = events
      .filter((e) => e.type === '@xstate.event')
      .map((e) => (e as { event: { type: string } }).event.type);
    expect(inspectedEvents).toEqual(expect.arrayContaining(['ACQUIRE', 'ALLOW', 'RESERVE']));
    await supervisorClient(supervisor).stop();
  });
});
