import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createActor } from 'xstate';
import { CancelledError } from '../../src/core/errors/cancelled-error.js';
import { InvalidOptionsError } from '../../src/core/validation/invalid-options-error.js';
import { MAX_TIMER_MS } from '../../src/core/validation/max-timer-ms.js';
import { UsageLimitError } from '../../src/machines/query/errors/usage-limit-error.js';
import { RateLimitQueueFullError } from '../../src/resilience/errors/rate-limit-queue-full-error.js';
import { createRateLimiter } from '../../src/resilience/limiter/create-rate-limiter.js';
import { rateLimiterClient } from '../../src/resilience/limiter/rate-limiter-client.js';
import type { RateLimiterOptions } from '../../src/resilience/limiter/rate-limiter-options.js';
import { track } from './settle.js';

const T0 = Date.UTC(2026, 0, 1);

function start(options: RateLimiterOptions) {
  const actor = createActor(createRateLimiter(options)).start();
  return { actor, client: rateLimiterClient(actor) };
}

async function tick(ms = 0): Promise<void> {
  await vi.advanceTimersByTimeAsync(ms);
}

beforeEach(() => {
  vi.useFakeTimers({ now: T0 });
});
afterEach(() => {
  vi.useRealTimers();
});

describe('createRateLimiter options', () => {
  it.each([
    [{ perMinute: { limit: 0 } }, 'perMinute.limit', '`0` (number)'],
    [{ maxConcurrent: 1.5 }, 'maxConcurrent', '`1.5` (number)'],
    [{ perHour: { limit: 10, burst: -1 } }, 'perHour.burst', '`-1` (number)'],
    [{ adaptive: { enabled: true } }, 'adaptive.enabled', '`true` (boolean)'],
    [{ perMinit: { limit: 1 } }, 'perMinit', '`{"limit":1}` (object)'],
    // Node fires a longer timer after 1 ms.
    [{ defaultPauseMs: 1e12 }, 'defaultPauseMs', '`1000000000000` (number)'],
    [{ parkHorizonMs: -1 }, 'parkHorizonMs', '`-1` (number)'],
    [
      { maxConcurrent: 2, adaptive: { enabled: true, cooldownMs: 2 ** 31 } },
      'adaptive.cooldownMs',
      '`2147483648` (number)',
    ],
  ])('rejects %j naming %s', (options, path, received) => {
    const thrown = (() => {
      try {
        createRateLimiter(options as RateLimiterOptions);
      } catch (error) {
        return error;
      }
      return undefined;
    })();
    expect(thrown).toBeInstanceOf(InvalidOptionsError);
    const issue = (thrown as InvalidOptionsError).issues[0]!;
    expect(issue.path).toBe(path);
    expect(issue.received).toBe(received);
    expect((thrown as Error).message).toContain('rate limiter option');
  });
});

describe('token buckets', () => {
  it('admits a burst at once, then one per refill interval', async () => {
    const { client } = start({ perMinute: { limit: 60, burst: 3 } });
    const permits = Array.from({ length: 5 }, (_, i) =>
      track(client.acquire({ requestId: `q${i}` })),
    );
    await tick();
    expect(permits.map((p) => p.status)).toEqual([
      'resolved',
      'resolved',
      'resolved',
      'pending',
      'pending',
    ]);
    await tick(999);
    expect(permits[3]!.status).toBe('pending');
    await tick(1);
    expect(permits[3]!.status).toBe('resolved');
    expect(permits[3]!.value).toMatchObject({ requestId: 'q3', waitedMs: 1000 });
    expect(permits[4]!.status).toBe('pending');
    await tick(1000);
    expect(permits[4]!.status).toBe('resolved');
  });

  it('never admits more than the limit in any window, even with burst = limit', async () => {
    const { client } = start({ perMinute: { limit: 10 } });
    const grantedAt: number[] = [];
    for (let i = 0; i < 40; i++) {
      client.acquire({ requestId: `q${i}` }).then((p) => {
        grantedAt.push(p.grantedAt);
        client.release(p.requestId);
      });
    }
    await tick(5 * 60_000);
    expect(grantedAt).toHaveLength(40);
    for (const at of grantedAt) {
      expect(grantedAt.filter((t) => t > at - 60_000 && t <= at).length).toBeLessThanOrEqual(10);
    }
    expect(grantedAt.filter((t) => t < T0 + 60_000)).toHaveLength(10);
  });

  it('applies the hourly bucket on top of the minute one', async () => {
    const { client } = start({ perMinute: { limit: 100 }, perHour: { limit: 2, burst: 2 } });
    const permits = Array.from({ length: 3 }, (_, i) =>
      track(client.acquire({ requestId: `q${i}` })),
    );
    await tick();
    expect(permits.map((p) => p.status)).toEqual(['resolved', 'resolved', 'pending']);
    expect(client.state().tokens).toEqual({ perMinute: 98, perHour: 0 });
    // The bucket has a token again after 30 min, but the hour may not hold a third query.
    await tick(30 * 60_000);
    expect(permits[2]!.status).toBe('pending');
    await tick(30 * 60_000);
    expect(permits[2]!.status).toBe('resolved');
  });
});

describe('concurrency cap', () => {
  it('holds requests beyond maxConcurrent until a permit is released', async () => {
    const { client } = start({ maxConcurrent: 2 });
    const permits = Array.from({ length: 3 }, (_, i) =>
      track(client.acquire({ requestId: `q${i}` })),
    );
    await tick();
    expect(permits.map((p) => p.status)).toEqual(['resolved', 'resolved', 'pending']);
    expect(client.state()).toMatchObject({ queued: 1, inFlight: 2, concurrencyLimit: 2 });
    client.release('q0');
    await tick();
    expect(permits[2]!.status).toBe('resolved');
    expect(client.state()).toMatchObject({ queued: 0, inFlight: 2 });
  });

  it('ignores the release of an unknown request', async () => {
    const { client } = start({ maxConcurrent: 1 });
    await client.acquire({ requestId: 'a' });
    client.release('nope');
    expect(client.state().inFlight).toBe(1);
  });
});

describe('fairness', () => {
  it('admits higher priorities first and FIFO within a priority', async () => {
    const { client } = start({ maxConcurrent: 1 });
    await client.acquire({ requestId: 'running' });
    const order: string[] = [];
    const requests = [
      { requestId: 'low-1', priority: -1 },
      { requestId: 'normal-1' },
      { requestId: 'high-1', priority: 5 },
      { requestId: 'normal-2', priority: 0 },
      { requestId: 'high-2', priority: 5 },
      { requestId: 'low-2', priority: -1 },
    ];
    for (const request of requests) {
      client.acquire(request).then((p) => {
        order.push(p.requestId);
        client.release(p.requestId);
      });
    }
    await tick();
    client.release('running');
    await tick();
    expect(order).toEqual(['high-1', 'high-2', 'normal-1', 'normal-2', 'low-1', 'low-2']);
  });

  it('refuses a duplicate requestId', async () => {
    const { client } = start({ maxConcurrent: 1 });
    await client.acquire({ requestId: 'a' });
    await expect(client.acquire({ requestId: 'a' })).rejects.toThrow(/already queued/);
  });
});

describe('cancellation while queued', () => {
  it('rejects with CancelledError and leaves the queue', async () => {
    const { client } = start({ maxConcurrent: 1 });
    await client.acquire({ requestId: 'a' });
    const controller = new AbortController();
    const b = track(client.acquire({ requestId: 'b' }, controller.signal));
    const c = track(client.acquire({ requestId: 'c' }));
    await tick();
    expect(client.state().queued).toBe(2);
    controller.abort('user gave up');
    await tick();
    expect(b.status).toBe('rejected');
    expect(b.error).toBeInstanceOf(CancelledError);
    expect((b.error as CancelledError).reason).toBe('user gave up');
    expect(client.state().queued).toBe(1);
    client.release('a');
    await tick();
    expect(c.status).toBe('resolved');
  });

  it('rejects at once for an already aborted signal', async () => {
    const { client } = start({});
    await expect(
      client.acquire({ requestId: 'a' }, AbortSignal.abort('no')),
    ).rejects.toBeInstanceOf(CancelledError);
    expect(client.state().inFlight).toBe(0);
  });

  it('rejects every waiting request when the limiter stops', async () => {
    const { actor, client } = start({ maxConcurrent: 1 });
    await client.acquire({ requestId: 'a' });
    const b = track(client.acquire({ requestId: 'b' }));
    await tick();
    actor.stop();
    await tick();
    expect(b.error).toBeInstanceOf(CancelledError);
  });

  it('refuses beyond maxQueued with RateLimitQueueFullError', async () => {
    const { client } = start({ maxConcurrent: 1, maxQueued: 1 });
    await client.acquire({ requestId: 'a' });
    const b = track(client.acquire({ requestId: 'b' }));
    const c = track(client.acquire({ requestId: 'c' }));
    await tick();
    expect(b.status).toBe('pending');
    expect(c.error).toBeInstanceOf(RateLimitQueueFullError);
    expect((c.error as RateLimitQueueFullError).code).toBe('RATE_LIMIT_QUEUE_FULL');
  });
});

describe('rate-limit signals', () => {
  it('pauses admission until resetsAt, then resumes the queue without dropping anything', async () => {
    const { actor, client } = start({ maxConcurrent: 10 });
    const events: string[] = [];
    actor.on('limiter.paused', (e) => events.push(`paused until ${e.until - T0}`));
    actor.on('limiter.resumed', () => events.push('resumed'));
    client.signal({ kind: 'rate_limited', resetsAt: T0 + 30_000 });
    const permits = Array.from({ length: 3 }, (_, i) =>
      track(client.acquire({ requestId: `q${i}` })),
    );
    await tick(29_999);
    expect(permits.every((p) => p.status === 'pending')).toBe(true);
    expect(client.state()).toMatchObject({ queued: 3, pausedUntil: T0 + 30_000 });
    await tick(1);
    expect(permits.every((p) => p.status === 'resolved')).toBe(true);
    expect(events).toEqual(['paused until 30000', 'resumed']);
    expect(client.state().pausedUntil).toBeUndefined();
  });

  it('pauses for retryAfterMs, or defaultPauseMs when the signal says nothing', async () => {
    const { client } = start({ defaultPauseMs: 5_000 });
    client.signal({ kind: 'rate_limited', retryAfterMs: 2_000 });
    expect(client.state().pausedUntil).toBe(T0 + 2_000);
    client.signal({ kind: 'rate_limited' });
    expect(client.state().pausedUntil).toBe(T0 + 5_000);
    client.signal({ kind: 'rate_limited', retryAfterMs: 1_000 });
    expect(client.state().pausedUntil).toBe(T0 + 5_000);
  });

  it('keeps running queries running while paused', async () => {
    const { client } = start({ maxConcurrent: 2 });
    await client.acquire({ requestId: 'a' });
    client.signal({ kind: 'rate_limited', retryAfterMs: 1_000 });
    expect(client.state().inFlight).toBe(1);
  });
});

describe('the park horizon (parkHorizonMs)', () => {
  const HOUR = 3_600_000;

  it('keeps requests waiting through a pause within the horizon, and says why it paused', async () => {
    const { actor, client } = start({ parkHorizonMs: HOUR });
    const reasons: Array<string | undefined> = [];
    actor.on('limiter.paused', (e) => reasons.push(e.reason));
    client.signal({ kind: 'rate_limited', resetsAt: T0 + HOUR, reason: 'rate_limit_event' });
    const waiting = track(client.acquire({ requestId: 'a' }));
    await tick(HOUR - 1);
    expect(waiting.status).toBe('pending');
    expect(client.state()).toMatchObject({
      pausedUntil: T0 + HOUR,
      pauseReason: 'rate_limit_event',
      parkHorizonMs: HOUR,
    });
    await tick(1);
    expect(waiting.status).toBe('resolved');
    expect(reasons).toEqual(['rate_limit_event']);
    expect(client.state().pauseReason).toBeUndefined();
  });

  it('fails waiting requests with UsageLimitError when a pause beyond the horizon starts', async () => {
    const { client } = start({ maxConcurrent: 1, parkHorizonMs: HOUR });
    await client.acquire({ requestId: 'running' });
    const waiting = track(client.acquire({ requestId: 'waiting' }));
    await tick();
    client.signal({ kind: 'rate_limited', resetsAt: T0 + 5 * HOUR, reason: 'HTTP 429' });
    await tick();
    expect(waiting.error).toBeInstanceOf(UsageLimitError);
    expect(waiting.error).toMatchObject({
      code: 'USAGE_LIMIT',
      resetsAt: T0 + 5 * HOUR,
      horizonMs: HOUR,
      retryable: false,
      queryId: 'waiting',
    });
    expect((waiting.error as Error).message).toBe(
      'The Anthropic API is rate limited until 2026-01-01T05:00:00.000Z (HTTP 429), beyond ' +
        'the park horizon of 1 h (`limiter.parkHorizonMs`), so the query was not kept waiting: ' +
        'run it again after the reset, or raise the horizon.',
    );
    expect(client.state()).toMatchObject({ queued: 0, inFlight: 1 });
  });

  it('refuses a request during such a pause at once, and waits again once the reset is within the horizon', async () => {
    const { client } = start({ parkHorizonMs: HOUR });
    client.signal({ kind: 'rate_limited', resetsAt: T0 + 3 * HOUR });
    const early = track(client.acquire({ requestId: 'early' }));
    await tick();
    expect(early.error).toBeInstanceOf(UsageLimitError);
    await tick(2 * HOUR);
    const later = track(client.acquire({ requestId: 'later' }));
    await tick();
    expect(later.status).toBe('pending');
    await tick(HOUR);
    expect(later.status).toBe('resolved');
  });

  it.each([
    ['a NaN retry-after', { retryAfterMs: Number.NaN }],
    ['an infinite retry-after', { retryAfterMs: Number.POSITIVE_INFINITY }],
    ['an infinite resetsAt', { resetsAt: Number.POSITIVE_INFINITY }],
    // A shared pause message of `1e400` ms parses as Infinity.
    ['an infinite RESTORE', { restore: Number.POSITIVE_INFINITY }],
  ])('pauses for defaultPauseMs on %s', async (_, signal) => {
    const { actor, client } = start({ defaultPauseMs: 5_000 });
    if ('restore' in signal) actor.send({ type: 'RESTORE', pausedUntil: signal.restore });
    else client.signal({ kind: 'rate_limited', ...signal });
    const waiting = track(client.acquire({ requestId: 'q' }));
    await tick(4_999);
    expect(waiting.status).toBe('pending');
    await tick(1);
    expect(waiting.status).toBe('resolved');
  });

  it('waits out a pause longer than the longest timer without waking every millisecond', async () => {
    const DAY = 24 * HOUR;
    // Node fires a timer above 2³¹ − 1 ms (~24.8 days) after 1 ms; fake timers do the same.
    const { client } = start({ parkHorizonMs: MAX_TIMER_MS });
    client.signal({ kind: 'rate_limited', resetsAt: T0 + 40 * DAY });
    await tick();
    const timers = vi.spyOn(globalThis, 'setTimeout');
    await tick(100);
    expect(timers).not.toHaveBeenCalled();
    timers.mockRestore();
    await tick(39 * DAY - 100);
    const waiting = track(client.acquire({ requestId: 'q' }));
    await tick(DAY - 1);
    expect(waiting.status).toBe('pending');
    await tick(1);
    expect(waiting.status).toBe('resolved');
  });

  it('takes a recorded pause (RESTORE) like a signal, without shrinking adaptive concurrency', async () => {
    const { actor, client } = start({ maxConcurrent: 4, adaptive: { enabled: true } });
    actor.send({ type: 'RESTORE', pausedUntil: T0 + 10_000, reason: 'restored' });
    expect(client.state()).toMatchObject({
      pausedUntil: T0 + 10_000,
      pauseReason: 'restored',
      concurrencyLimit: 4,
    });
    actor.send({ type: 'RESTORE', pausedUntil: T0 - 1 });
    expect(client.state().pausedUntil).toBe(T0 + 10_000);
  });

  it('persists the pause with its reason', () => {
    const { actor, client } = start({});
    client.signal({ kind: 'rate_limited', retryAfterMs: 5_000, reason: 'api_retry 429' });
    const restored = createActor(createRateLimiter({}), {
      snapshot: actor.getPersistedSnapshot(),
    }).start();
    expect(rateLimiterClient(restored).state()).toMatchObject({
      pausedUntil: T0 + 5_000,
      pauseReason: 'api_retry 429',
    });
    restored.stop();
  });

  it.each([[-1], [1.5], ['6h']])('refuses parkHorizonMs %j', (value) => {
    expect(() => createRateLimiter({ parkHorizonMs: value as number })).toThrow(/`parkHorizonMs`/);
  });
});

describe('tokens per minute', () => {
  it('holds queries once released usage fills the budget, until it leaves the window', async () => {
    const { client } = start({ tokensPerMinute: { limit: 1_000 } });
    await client.acquire({ requestId: 'a', tokens: 400 });
    expect(client.state().tokens.tokensPerMinute).toBe(600);
    client.release('a', { usage: { inputTokens: 700, outputTokens: 200 } });
    const b = track(client.acquire({ requestId: 'b', tokens: 200 }));
    await tick();
    expect(b.status).toBe('pending');
    await tick(60_000);
    expect(b.status).toBe('resolved');
  });

  it('lets a query through when nothing is used, however large its estimate', async () => {
    const { client } = start({ tokensPerMinute: { limit: 100 } });
    await expect(client.acquire({ requestId: 'big', tokens: 5_000 })).resolves.toMatchObject({
      requestId: 'big',
    });
  });
});

describe('adaptive concurrency', () => {
  it('halves the limit on 429/529 once per cooldown and grows back by one per round', async () => {
    const { actor, client } = start({
      maxConcurrent: 8,
      adaptive: { enabled: true, cooldownMs: 1_000 },
    });
    const limits: number[] = [];
    actor.on('limiter.concurrency_changed', (e) => limits.push(e.limit));
    client.signal({ kind: 'overloaded' });
    client.signal({ kind: 'overloaded' });
    expect(client.state().concurrencyLimit).toBe(4);
    await tick(1_000);
    client.signal({ kind: 'rate_limited', retryAfterMs: 1 });
    expect(client.state().concurrencyLimit).toBe(2);
    for (let i = 0; i < 2; i++) client.signal({ kind: 'success' });
    expect(client.state().concurrencyLimit).toBe(3);
    for (let i = 0; i < 3; i++) client.signal({ kind: 'success' });
    expect(client.state().concurrencyLimit).toBe(4);
    expect(limits).toEqual([4, 2, 3, 4]);
  });

  it('is off by default: signals leave the limit alone', () => {
    const { client } = start({ maxConcurrent: 8 });
    client.signal({ kind: 'overloaded' });
    expect(client.state().concurrencyLimit).toBe(8);
  });
});

describe('persistence', () => {
  it('restores buckets, the pause and the concurrency limit from plain JSON', async () => {
    const logic = createRateLimiter({
      perMinute: { limit: 60, burst: 2 },
      maxConcurrent: 8,
      adaptive: { enabled: true },
    });
    const first = createActor(logic).start();
    const client = rateLimiterClient(first);
    await client.acquire({ requestId: 'a' });
    await client.acquire({ requestId: 'b' });
    client.signal({ kind: 'rate_limited', resetsAt: T0 + 10_000 });
    const persisted = JSON.parse(JSON.stringify(first.getPersistedSnapshot()));
    first.stop();

    const second = createActor(logic, { snapshot: persisted }).start();
    const restored = rateLimiterClient(second);
    expect(restored.state()).toMatchObject({
      pausedUntil: T0 + 10_000,
      concurrencyLimit: 4,
      inFlight: 0,
      queued: 0,
      tokens: { perMinute: 0 },
    });
    const c = track(restored.acquire({ requestId: 'c' }));
    await tick(9_999);
    expect(c.status).toBe('pending');
    await tick(1);
    expect(c.status).toBe('resolved');
  });
});
