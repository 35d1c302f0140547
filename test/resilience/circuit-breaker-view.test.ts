import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createActor } from 'xstate';
import { ApiError } from '../../src/machines/query/errors/api-error.js';
import { circuitBreakerClient } from '../../src/resilience/breaker/circuit-breaker-client.js';
import { createCircuitBreaker } from '../../src/resilience/breaker/create-circuit-breaker.js';

const T0 = Date.UTC(2026, 0, 1);
const overloaded = () => new ApiError({ status: 529, errorType: 'overloaded_error' });

beforeEach(() => {
  vi.useFakeTimers({ now: T0 });
});
afterEach(() => {
  vi.useRealTimers();
});

describe('circuit breaker view in the snapshot', () => {
  it('publishes the state view as context.view, updated by changes within a state', async () => {
    const actor = createActor(
      createCircuitBreaker({ policy: { kind: 'consecutive', threshold: 3 } }),
    ).start();
    const client = circuitBreakerClient(actor);
    expect(actor.getSnapshot().context.view).toEqual({
      state: 'closed',
      since: T0,
      policy: { failures: 0 },
    });
    await client.allow({ requestId: 'a' });
    client.record('a', { ok: false, error: overloaded() });
    expect(actor.getSnapshot().context.view).toEqual({
      state: 'closed',
      since: T0,
      policy: { failures: 1 },
    });
    expect(client.state()).toBe(actor.getSnapshot().context.view);
  });

  it('counts waiters and probes in the view while open and half-open', async () => {
    const actor = createActor(
      createCircuitBreaker({
        policy: { kind: 'consecutive', threshold: 1 },
        resetTimeout: 1_000,
        halfOpenProbes: 1,
      }),
    ).start();
    const client = circuitBreakerClient(actor);
    await client.allow({ requestId: 'a' });
    client.record('a', { ok: false, error: overloaded() });
    const waiting = [
      client.allow({ requestId: 'w1', waitForHalfOpen: true }),
      client.allow({ requestId: 'w2', waitForHalfOpen: true }),
    ];
    expect(actor.getSnapshot().context.view).toMatchObject({ state: 'open', waiting: 2 });
    await vi.advanceTimersByTimeAsync(1_000);
    await waiting[0];
    expect(actor.getSnapshot().context.view).toMatchObject({
      state: 'half_open',
      probesInFlight: 1,
      probesRequired: 1,
      waiting: 1,
    });
    client.record('w1', { ok: true });
    await waiting[1];
    expect(actor.getSnapshot().context.view).toMatchObject({ state: 'closed' });
  });

  it('keeps the full view (probesRequired included) on a machine changed with provide', async () => {
    const logic = createCircuitBreaker({
      policy: { kind: 'consecutive', threshold: 1 },
      resetTimeout: 1_000,
      halfOpenProbes: 2,
    }).provide({});
    const client = circuitBreakerClient(createActor(logic).start());
    await client.allow({ requestId: 'a' });
    client.record('a', { ok: false, error: overloaded() });
    await vi.advanceTimersByTimeAsync(1_000);
    expect(client.state()).toMatchObject({ state: 'half_open', probesRequired: 2 });
  });

  it('persists a view that matches the persisted context (no waiters, no probes)', async () => {
    const actor = createActor(
      createCircuitBreaker({ policy: { kind: 'consecutive', threshold: 1 }, resetTimeout: 1_000 }),
    ).start();
    const client = circuitBreakerClient(actor);
    await client.allow({ requestId: 'a' });
    client.record('a', { ok: false, error: overloaded() });
    void client.allow({ requestId: 'w', waitForHalfOpen: true }).catch(() => {});
    expect(client.state()).toMatchObject({ waiting: 1 });
    const persisted = JSON.parse(JSON.stringify(actor.getPersistedSnapshot()));
    expect(persisted.context.view).toEqual({
      state: 'open',
      since: T0,
      retryAt: T0 + 1_000,
      openings: 1,
      waiting: 0,
    });
    actor.stop();
  });

  it('gives a snapshot persisted without a view (an older version) its view on restore', async () => {
    const logic = createCircuitBreaker({
      policy: { kind: 'consecutive', threshold: 1 },
      resetTimeout: 1_000,
    });
    const first = createActor(logic).start();
    const client = circuitBreakerClient(first);
    await client.allow({ requestId: 'a' });
    client.record('a', { ok: false, error: overloaded() });
    const persisted = JSON.parse(JSON.stringify(first.getPersistedSnapshot()));
    first.stop();
    delete persisted.context.view;
    const restored = circuitBreakerClient(createActor(logic, { snapshot: persisted }).start());
    expect(restored.state()).toEqual({
      state: 'open',
      since: T0,
      retryAt: T0 + 1_000,
      openings: 1,
      waiting: 0,
    });
  });
});
