import { firstValueFrom, take, toArray } from 'rxjs';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createActor } from 'xstate';
import { CancelledError } from '../../src/core/errors/cancelled-error.js';
import { InvalidOptionsError } from '../../src/core/validation/invalid-options-error.js';
import { MAX_TIMER_MS } from '../../src/core/validation/max-timer-ms.js';
import { ApiError } from '../../src/machines/query/errors/api-error.js';
import { QueryFailedError } from '../../src/machines/query/errors/query-failed-error.js';
import type { BreakerState } from '../../src/resilience/breaker/breaker-state.js';
import { circuitBreakerClient } from '../../src/resilience/breaker/circuit-breaker-client.js';
import type { CircuitBreakerOptions } from '../../src/resilience/breaker/circuit-breaker-options.js';
import { createCircuitBreaker } from '../../src/resilience/breaker/create-circuit-breaker.js';
import { CircuitOpenError } from '../../src/resilience/errors/circuit-open-error.js';
import { track } from './settle.js';

const T0 = Date.UTC(2026, 0, 1);
const overloaded = () => new ApiError({ status: 529, errorType: 'overloaded_error' });
const badRequest = () => new ApiError({ status: 400, errorType: 'invalid_request_error' });

function start(options: CircuitBreakerOptions) {
  const actor = createActor(createCircuitBreaker(options)).start();
  return { actor, client: circuitBreakerClient(actor) };
}

async function fail(client: ReturnType<typeof start>['client'], id: string, error: unknown) {
  await client.allow({ requestId: id });
  client.record(id, { ok: false, error });
}

async function succeed(client: ReturnType<typeof start>['client'], id: string) {
  await client.allow({ requestId: id });
  client.record(id, { ok: true });
}

beforeEach(() => {
  vi.useFakeTimers({ now: T0 });
});
afterEach(() => {
  vi.useRealTimers();
});

describe('createCircuitBreaker options', () => {
  it.each([
    [{ policy: { kind: 'consecutive', threshold: 0 } }, 'policy.threshold'],
    [{ policy: { kind: 'ratio', threshold: 1.5 } }, 'policy.threshold'],
    [{ policy: { kind: 'sometimes' } }, 'policy.kind'],
    [{ halfOpenProbes: 0 }, 'halfOpenProbes'],
    [{ resetTimeout: -5 }, 'resetTimeout'],
    // Node fires a timer above 2³¹ − 1 ms after 1 ms: an hour-long open would be 1 ms.
    [{ resetTimeout: 2 ** 31 }, 'resetTimeout'],
    [{ resetTimeout: { kind: 'fixed', ms: 1e12 } }, 'resetTimeout.ms'],
    [{ resetTimeout: { kind: 'exponential', maxMs: 1e12 } }, 'resetTimeout.maxMs'],
    [{ policy: { kind: 'ratio', windowMs: 2 ** 31 } }, 'policy.windowMs'],
    [{ isApiFailure: 'yes' }, 'isApiFailure'],
  ])('rejects %j naming %s', (options, path) => {
    expect(() => createCircuitBreaker(options as CircuitBreakerOptions)).toThrow(
      InvalidOptionsError,
    );
    try {
      createCircuitBreaker(options as CircuitBreakerOptions);
    } catch (error) {
      expect((error as InvalidOptionsError).issues[0]!.path).toBe(path);
    }
  });
});

describe('consecutive failures policy', () => {
  it('opens after the threshold of API failures in a row', async () => {
    const { client } = start({ policy: { kind: 'consecutive', threshold: 3 } });
    await fail(client, 'a', overloaded());
    await fail(client, 'b', overloaded());
    expect(client.state()).toMatchObject({ state: 'closed', policy: { failures: 2 } });
    await fail(client, 'c', overloaded());
    expect(client.state()).toMatchObject({ state: 'open', retryAt: T0 + 30_000, openings: 1 });
  });

  it('starts counting again after a success', async () => {
    const { client } = start({ policy: { kind: 'consecutive', threshold: 2 } });
    await fail(client, 'a', overloaded());
    await succeed(client, 'b');
    await fail(client, 'c', overloaded());
    expect(client.state().state).toBe('closed');
  });

  it.each([
    ['a bad request (400)', badRequest()],
    ['invalid options', new InvalidOptionsError([])],
    ['max turns', new QueryFailedError({ subtype: 'error_max_turns' })],
    ['a cancelled query', new CancelledError('stop')],
  ])('is not opened by %s', async (_name, error) => {
    const { client } = start({ policy: { kind: 'consecutive', threshold: 1 } });
    await fail(client, 'a', error);
    expect(client.state()).toMatchObject({ state: 'closed', policy: { failures: 0 } });
  });
});

describe('failure ratio policy', () => {
  const options: CircuitBreakerOptions = {
    policy: { kind: 'ratio', threshold: 0.5, windowMs: 10_000, minimumCalls: 4 },
  };

  it('waits for the minimum number of calls', async () => {
    const { client } = start(options);
    for (const id of ['a', 'b', 'c']) await fail(client, id, overloaded());
    expect(client.state()).toMatchObject({ state: 'closed', policy: { calls: 3, failures: 3 } });
    await fail(client, 'd', overloaded());
    expect(client.state().state).toBe('open');
  });

  it('opens at the ratio, checked when a failure is recorded', async () => {
    const { client } = start(options);
    await succeed(client, 'a');
    await succeed(client, 'b');
    await fail(client, 'c', overloaded());
    expect(client.state().state).toBe('closed');
    await fail(client, 'd', overloaded());
    expect(client.state().state).toBe('open');
  });

  it('stays closed below the ratio and forgets calls that left the window', async () => {
    const { client } = start(options);
    await fail(client, 'a', overloaded());
    await succeed(client, 'b');
    await succeed(client, 'c');
    await succeed(client, 'd');
    expect(client.state().state).toBe('closed');
    await vi.advanceTimersByTimeAsync(11_000);
    await fail(client, 'e', overloaded());
    expect(client.state()).toMatchObject({ state: 'closed', policy: { calls: 1, failures: 1 } });
  });
});

describe('open and half-open', () => {
  const options: CircuitBreakerOptions = {
    policy: { kind: 'consecutive', threshold: 1 },
    resetTimeout: 10_000,
    halfOpenProbes: 2,
  };

  it('fails fast with a typed CircuitOpenError while open', async () => {
    const { client } = start(options);
    await fail(client, 'a', overloaded());
    const error = await client.allow({ requestId: 'b' }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(CircuitOpenError);
    expect(error).toMatchObject({
      code: 'CIRCUIT_OPEN',
      retryable: true,
      breakerState: 'open',
      retryAt: T0 + 10_000,
      queryId: 'b',
    });
  });

  it('goes half-open after the reset timeout and lets exactly the probe count through', async () => {
    const { client } = start(options);
    await fail(client, 'a', overloaded());
    await vi.advanceTimersByTimeAsync(10_000);
    expect(client.state()).toMatchObject({ state: 'half_open', probesRequired: 2 });
    await client.allow({ requestId: 'p1' });
    await client.allow({ requestId: 'p2' });
    await expect(client.allow({ requestId: 'p3' })).rejects.toMatchObject({
      breakerState: 'half_open',
      retryAt: undefined,
    });
    client.record('p1', { ok: true });
    expect(client.state()).toMatchObject({ state: 'half_open', probesSucceeded: 1 });
    client.record('p2', { ok: true });
    expect(client.state().state).toBe('closed');
  });

  it('reopens on a failed probe, with a growing reset timeout', async () => {
    const { client } = start({
      ...options,
      halfOpenProbes: 1,
      resetTimeout: { kind: 'exponential', initialMs: 1_000, multiplier: 2, maxMs: 3_000 },
    });
    await fail(client, 'a', overloaded());
    const retryAts: number[] = [];
    for (let i = 0; i < 3; i++) {
      const state = client.state();
      if (state.state !== 'open') throw new Error('expected open');
      retryAts.push(state.retryAt - state.since);
      await vi.advanceTimersByTimeAsync(state.retryAt - Date.now());
      await fail(client, `probe${i}`, overloaded());
    }
    expect(retryAts).toEqual([1_000, 2_000, 3_000]);
  });

  it('frees the probe slot of a probe that failed for a reason not the API', async () => {
    const { client } = start({ ...options, halfOpenProbes: 1 });
    await fail(client, 'a', overloaded());
    await vi.advanceTimersByTimeAsync(10_000);
    await fail(client, 'p1', badRequest());
    expect(client.state()).toMatchObject({ state: 'half_open', probesInFlight: 0 });
    await succeed(client, 'p2');
    expect(client.state().state).toBe('closed');
  });

  it('lets callers that asked wait for half-open, then for closed', async () => {
    const { client } = start({ ...options, halfOpenProbes: 1 });
    await fail(client, 'a', overloaded());
    const w1 = track(client.allow({ requestId: 'w1', waitForHalfOpen: true }));
    const w2 = track(client.allow({ requestId: 'w2', waitForHalfOpen: true }));
    await vi.advanceTimersByTimeAsync(9_999);
    expect([w1.status, w2.status]).toEqual(['pending', 'pending']);
    await vi.advanceTimersByTimeAsync(1);
    expect([w1.status, w2.status]).toEqual(['resolved', 'pending']);
    client.record('w1', { ok: true });
    await vi.advanceTimersByTimeAsync(0);
    expect(w2.status).toBe('resolved');
  });

  it('lets a waiting caller cancel', async () => {
    const { client } = start(options);
    await fail(client, 'a', overloaded());
    const controller = new AbortController();
    const waiting = track(
      client.allow({ requestId: 'w', waitForHalfOpen: true }, controller.signal),
    );
    await vi.advanceTimersByTimeAsync(0);
    expect(client.state()).toMatchObject({ state: 'open', waiting: 1 });
    controller.abort();
    await vi.advanceTimersByTimeAsync(0);
    expect(waiting.error).toBeInstanceOf(CancelledError);
    expect(client.state()).toMatchObject({ waiting: 0 });
  });
});

describe('state changes', () => {
  it('are emitted as events and as an Observable', async () => {
    const { actor, client } = start({
      policy: { kind: 'consecutive', threshold: 1 },
      resetTimeout: 1_000,
    });
    const events: string[] = [];
    actor.on('breaker.state_changed', (e) => events.push(e.state.state));
    const states = firstValueFrom(client.state$.pipe(take(4), toArray()));
    await fail(client, 'a', overloaded());
    await vi.advanceTimersByTimeAsync(1_000);
    await succeed(client, 'probe');
    expect(events).toEqual(['open', 'half_open', 'closed']);
    expect((await states).map((s: BreakerState) => s.state)).toEqual([
      'closed',
      'open',
      'half_open',
      'closed',
    ]);
  });
});

describe('persistence', () => {
  it('restores an open breaker that goes half-open at the persisted epoch time', async () => {
    const logic = createCircuitBreaker({
      policy: { kind: 'consecutive', threshold: 1 },
      resetTimeout: 10_000,
    });
    const first = createActor(logic).start();
    await fail(circuitBreakerClient(first), 'a', overloaded());
    await vi.advanceTimersByTimeAsync(4_000);
    const persisted = JSON.parse(JSON.stringify(first.getPersistedSnapshot()));
    first.stop();

    const second = createActor(logic, { snapshot: persisted }).start();
    const client = circuitBreakerClient(second);
    expect(client.state()).toMatchObject({ state: 'open', retryAt: T0 + 10_000 });
    await vi.advanceTimersByTimeAsync(5_999);
    expect(client.state().state).toBe('open');
    await vi.advanceTimersByTimeAsync(1);
    expect(client.state().state).toBe('half_open');
  });

  it('waits out a restored retryAt beyond the longest timer instead of probing at once', async () => {
    const DAY = 86_400_000;
    const logic = createCircuitBreaker({
      policy: { kind: 'consecutive', threshold: 1 },
      resetTimeout: MAX_TIMER_MS,
    });
    const first = createActor(logic).start();
    await fail(circuitBreakerClient(first), 'a', overloaded());
    const persisted = JSON.parse(JSON.stringify(first.getPersistedSnapshot()));
    first.stop();
    // As a snapshot written by a breaker whose reset timeout had no cap would hold it.
    persisted.context.retryAt = T0 + 40 * DAY;
    for (const child of Object.values(persisted.children) as { snapshot: { input: object } }[]) {
      child.snapshot.input = { retryAt: T0 + 40 * DAY };
    }

    const client = circuitBreakerClient(createActor(logic, { snapshot: persisted }).start());
    await vi.advanceTimersByTimeAsync(1_000);
    expect(client.state().state).toBe('open');
    await vi.advanceTimersByTimeAsync(40 * DAY - 1_001);
    expect(client.state().state).toBe('open');
    await vi.advanceTimersByTimeAsync(1);
    expect(client.state().state).toBe('half_open');
  });

  it('drops probes in flight and waiters, so a restored half-open breaker probes afresh', async () => {
    const logic = createCircuitBreaker({
      policy: { kind: 'consecutive', threshold: 1 },
      resetTimeout: 1_000,
    });
    const first = createActor(logic).start();
    const firstClient = circuitBreakerClient(first);
    await fail(firstClient, 'a', overloaded());
    await vi.advanceTimersByTimeAsync(1_000);
    await firstClient.allow({ requestId: 'lost-probe' });
    const persisted = JSON.parse(JSON.stringify(first.getPersistedSnapshot()));
    first.stop();

    const client = circuitBreakerClient(createActor(logic, { snapshot: persisted }).start());
    expect(client.state()).toMatchObject({ state: 'half_open', probesInFlight: 0 });
    await succeed(client, 'new-probe');
    expect(client.state().state).toBe('closed');
  });
});
