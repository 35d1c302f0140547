import { Queue, Worker } from 'bullmq';
import { Redis } from 'ioredis';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import {
  createRedisAdmission,
  type RedisAdmission,
} from '../../src/distributed/redis-admission.js';
import { admissionKeys } from '../../src/distributed/redis-admission-keys.js';
import { BudgetExceededError } from '../../src/resilience/errors/budget-exceeded-error.js';
import { createRuntime, type Runtime } from '../../src/runtime/create-runtime.js';
import { redisUnavailable, startTestRedis, type TestRedis } from '../helpers/redis-server.js';

const why = redisUnavailable();

describe.skipIf(why)('createRedisAdmission (real Redis)', () => {
  let redis: TestRedis;
  let raw: Redis;
  const cleanups: (() => Promise<unknown> | unknown)[] = [];
  const later = <T>(value: T, close: (v: T) => Promise<unknown> | unknown): T => {
    cleanups.push(() => close(value));
    return value;
  };
  const admissionFor = (
    prefix: string,
    extra: Partial<Parameters<typeof createRedisAdmission>[0]> = {},
  ): RedisAdmission =>
    later(createRedisAdmission({ connection: redis.url, queueName: 'q', prefix, ...extra }), (a) =>
      a.close(),
    );
  const runtimeNamed = (): Runtime =>
    later(createRuntime({ limiter: { maxConcurrent: 4 } }), (r) => r.stop());
  const connection = () => ({ host: redis.host, port: redis.port, maxRetriesPerRequest: null });
  const workerOn = (
    prefix: string,
    concurrency = 1,
    processor: () => Promise<unknown> = async () => 'ok',
  ): Worker =>
    later(
      new Worker('q', processor, { connection: connection(), prefix, concurrency, autorun: false }),
      (w) => w.close(),
    );

  beforeAll(async () => {
    redis = await startTestRedis();
    raw = new Redis(redis.url);
  });
  afterEach(async () => {
    vi.useRealTimers();
    for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
  });
  afterAll(async () => {
    await raw?.quit();
    await redis?.stop();
  });

  it("a pause of one worker's limiter is applied to every other attached limiter, once", async () => {
    const prefix = redis.prefix();
    const keys = admissionKeys(prefix, 'q');
    const [a, b] = [admissionFor(prefix), admissionFor(prefix)];
    const [ra, rb] = [runtimeNamed(), runtimeNamed()];
    a!.attach(ra, workerOn(prefix));
    b!.attach(rb, workerOn(prefix));
    const messages: string[] = [];
    const listener = later(new Redis(redis.url), (c) => c.quit());
    listener.on('message', (_c, m) => messages.push(m));
    await listener.subscribe(keys.pauseChannel);
    // Let both subscribe before the pause.
    await vi.waitFor(async () =>
      expect(await raw.pubsub('NUMSUB', keys.pauseChannel)).toEqual([keys.pauseChannel, 3]),
    );

    ra.system().limiter!.signal({ kind: 'rate_limited', retryAfterMs: 20_000, reason: 'HTTP 429' });
    await vi.waitFor(() => expect(rb.system().limiter!.state().pausedUntil).toBeDefined());
    const until = ra.system().limiter!.state().pausedUntil!;
    expect(Math.abs(rb.system().limiter!.state().pausedUntil! - until)).toBeLessThan(1_000);
    expect(rb.system().limiter!.state().pauseReason).toBe('HTTP 429');
    expect(await raw.pttl(keys.pause)).toBeGreaterThan(18_000);
    expect((await a!.pause()).remainingMs).toBeGreaterThan(18_000);
    // B does not publish the pause back (no echo, no ever-growing pause).
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(messages).toHaveLength(1);
  });

  it('shares a pause between two runtimes attached to the same admission', async () => {
    const prefix = redis.prefix();
    const admission = admissionFor(prefix);
    const [ra, rb] = [runtimeNamed(), runtimeNamed()];
    admission.attach(ra, workerOn(prefix));
    admission.attach(rb, workerOn(prefix));
    ra.system().limiter!.signal({ kind: 'rate_limited', retryAfterMs: 20_000, reason: 'HTTP 429' });
    await vi.waitFor(() => expect(rb.system().limiter!.state().pausedUntil).toBeDefined());
    expect(rb.system().limiter!.state().pauseReason).toBe('HTTP 429');
  });

  it('a worker attached during a pause applies it to its limiter', async () => {
    const prefix = redis.prefix();
    const first = admissionFor(prefix);
    const ra = runtimeNamed();
    first.attach(ra, workerOn(prefix));
    ra.system().limiter!.signal({ kind: 'rate_limited', retryAfterMs: 30_000, reason: 'HTTP 429' });
    await vi.waitFor(async () => expect((await first.pause()).remainingMs).toBeGreaterThan(0));
    const late = runtimeNamed();
    admissionFor(prefix).attach(late, workerOn(prefix));
    await vi.waitFor(() =>
      expect(late.system().limiter!.state().pausedUntil).toBeGreaterThan(Date.now() + 25_000),
    );
  });

  it('admit waits while a shared pause is on, and stops when its job is cancelled', async () => {
    const prefix = redis.prefix();
    const keys = admissionKeys(prefix, 'q');
    const admission = admissionFor(prefix);
    admission.attach(runtimeNamed(), workerOn(prefix));
    await vi.waitFor(async () =>
      expect(await raw.pubsub('NUMSUB', keys.cancelChannel)).toEqual([keys.cancelChannel, 1]),
    );
    const publisher = admissionFor(prefix);
    await (await import('../../src/distributed/shared-pause.js'))
      .createSharedPause({ redis: raw, keys, origin: 'test' })
      .publish(Date.now() + 700, 'HTTP 429');
    const started = Date.now();
    const ticket = await publisher.admit({ jobId: 'r.t.1', runId: 'r', taskId: 't' });
    expect(Date.now() - started).toBeGreaterThanOrEqual(600);
    expect(ticket).toEqual({ jobId: 'r.t.1', reservedUsd: 0 });

    await (await import('../../src/distributed/shared-pause.js'))
      .createSharedPause({ redis: raw, keys, origin: 'test' })
      .publish(Date.now() + 60_000, 'HTTP 429');
    const waiting = admission
      .admit({ jobId: 'r.t2.1', runId: 'r', taskId: 't2' })
      .catch((e: unknown) => e);
    await new Promise((resolve) => setTimeout(resolve, 100));
    await raw.publish(
      keys.cancelChannel,
      JSON.stringify({ jobId: 'r.t2.1', reason: 'run r cancelled' }),
    );
    expect(await waiting).toMatchObject({ code: 'CANCELLED', reason: 'run r cancelled' });
    // And by its signal.
    const controller = new AbortController();
    const aborted = admission
      .admit({ jobId: 'r.t3.1', runId: 'r', taskId: 't3' }, controller.signal)
      .catch((e: unknown) => e);
    controller.abort('shutdown');
    expect(await aborted).toMatchObject({ code: 'CANCELLED' });
  });

  it('refuses the jobs of a cancelled run', async () => {
    const prefix = redis.prefix();
    const admission = admissionFor(prefix);
    await raw.set(admissionKeys(prefix, 'q').cancelled('gone'), 'run gone was cancelled');
    await expect(
      admission.admit({ jobId: 'gone.t.1', runId: 'gone', taskId: 't' }),
    ).rejects.toMatchObject({
      code: 'CANCELLED',
      reason: 'run gone was cancelled',
    });
    await expect(
      admission.admit({ jobId: 'other.t.1', runId: 'other', taskId: 't' }),
    ).resolves.toBeDefined();
  });

  it('reserves the shared budget at admission and settles the actual cost', async () => {
    const prefix = redis.prefix();
    const [a, b] = [
      admissionFor(prefix, { budgetUsd: 1 }),
      admissionFor(prefix, { budgetUsd: 1, defaultReserveUsd: 0.25 }),
    ];
    const t1 = await a!.admit({ jobId: 'r.a.1', runId: 'r', taskId: 'a', reserveUsd: 0.5 });
    expect(t1.reservedUsd).toBe(0.5);
    const t2 = await b!.admit({ jobId: 'r.b.1', runId: 'r', taskId: 'b' });
    expect(t2.reservedUsd).toBe(0.25);
    // Kept out only by the reservations of running jobs: it waits for them to settle…
    const waiting = a!.admit({ jobId: 'r.c.1', runId: 'r', taskId: 'c', reserveUsd: 0.5 });
    const early = await Promise.race([
      waiting.then(() => 'admitted'),
      new Promise((resolve) => setTimeout(() => resolve('waiting'), 600)),
    ]);
    expect(early).toBe('waiting');
    await a!.settle(t1, 0.1);
    await a!.settle(t1, 0.1); // settled once only
    // …and is admitted once the spending (0.1) leaves room for it next to b's 0.25.
    expect((await waiting).reservedUsd).toBe(0.5);
    expect(await b!.budget()).toMatchObject({ limitUsd: 1, reservations: 2 });
    expect((await b!.budget())!.spentUsd).toBeCloseTo(0.1, 6);
    // Refused at once when what was spent leaves no room, whatever the reservations.
    await b!.settle(t2, 0.8);
    const refused = await a!
      .admit({ jobId: 'r.d.1', runId: 'r', taskId: 'd', reserveUsd: 0.5 })
      .catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(BudgetExceededError);
    expect(await admissionFor(prefix).budget()).toBeUndefined();
  });

  it('renews a reservation while its task runs', async () => {
    const prefix = redis.prefix();
    const keys = admissionKeys(prefix, 'q');
    const admission = admissionFor(prefix, { budgetUsd: 1, reservationTtlMs: 3_000 });
    vi.useFakeTimers({ toFake: ['setInterval', 'clearInterval'] });
    const ticket = await admission.admit({
      jobId: 'r.a.1',
      runId: 'r',
      taskId: 'a',
      reserveUsd: 0.5,
    });
    await raw.zadd(keys.budgetDeadlines, 1, 'r.a.1');
    vi.advanceTimersByTime(1_000);
    await vi.waitFor(async () =>
      expect(Number(await raw.zscore(keys.budgetDeadlines, 'r.a.1'))).toBeGreaterThan(1),
    );
    await admission.settle(ticket, 0.2);
    expect(vi.getTimerCount()).toBe(0);
  });

  it('caps the jobs all workers run at once with globalConcurrency (2 workers x 3, cap 2)', async () => {
    const prefix = redis.prefix();
    const queue = later(new Queue('q', { connection: connection(), prefix }), (q) => q.close());
    let running = 0;
    let most = 0;
    const processor = async (): Promise<void> => {
      running += 1;
      most = Math.max(most, running);
      await new Promise((resolve) => setTimeout(resolve, 150));
      running -= 1;
    };
    const workers = [workerOn(prefix, 3, processor), workerOn(prefix, 3, processor)];
    for (const worker of workers)
      admissionFor(prefix, { globalConcurrency: 2 }).attach(runtimeNamed(), worker);
    await vi.waitFor(async () => expect(await queue.getGlobalConcurrency()).toBe(2));
    await queue.addBulk(Array.from({ length: 10 }, (_, i) => ({ name: 'j', data: { i } })));
    for (const worker of workers) void worker.run();
    await vi.waitFor(async () => expect(await queue.getJobCountByTypes('completed')).toBe(10), {
      timeout: 15_000,
    });
    expect(most).toBe(2);
  });
});

describe.skipIf(why)('createRedisAdmission across a Redis restart (real Redis)', () => {
  it('admits again and still shares pauses once Redis is back (it resubscribes)', async () => {
    const redis = await startTestRedis();
    const prefix = redis.prefix();
    const admissions = [0, 1].map(() =>
      createRedisAdmission({ connection: redis.url, queueName: 'q', prefix, budgetUsd: 5 }),
    );
    const runtimes = [createRuntime({}), createRuntime({})];
    const worker = { opts: {}, on() {}, off() {} } as unknown as Worker;
    const raw = new Redis(redis.url);
    try {
      for (const [i, a] of admissions.entries()) a.attach(runtimes[i]!, worker);
      const keys = admissionKeys(prefix, 'q');
      const subscribers = async () => (await raw.pubsub('NUMSUB', keys.pauseChannel))[1];
      await vi.waitFor(async () => expect(await subscribers()).toBe(2));
      await admissions[0]!.admit({ jobId: 'r.a.1', runId: 'r', taskId: 'a', reserveUsd: 1 });

      await redis.restart();
      // The admission reconnects and resubscribes on its own (what Redis held is gone).
      await vi.waitFor(async () => expect(await subscribers()).toBe(2), { timeout: 15_000 });
      const ticket = await admissions[1]!.admit({
        jobId: 'r.b.1',
        runId: 'r',
        taskId: 'b',
        reserveUsd: 1,
      });
      expect(ticket.reservedUsd).toBe(1);
      runtimes[0]!
        .system()
        .limiter!.signal({ kind: 'rate_limited', retryAfterMs: 20_000, reason: 'HTTP 429' });
      await vi.waitFor(() =>
        expect(runtimes[1]!.system().limiter!.state().pausedUntil).toBeDefined(),
      );
    } finally {
      raw.disconnect();
      await Promise.all(admissions.map((a) => a.close()));
      await Promise.all(runtimes.map((r) => r.stop()));
      await redis.stop();
    }
  });
});

describe('createRedisAdmission options', () => {
  it.each([
    [{ connection: 'http://x', queueName: 'q' }, /`connection`.*redis:\/\//],
    [{ connection: 'redis://x', queueName: '' }, /`queueName`/],
    [{ connection: 'redis://x', queueName: 'q', budgetUsd: -1 }, /`budgetUsd`.*-1/],
    [{ connection: 'redis://x', queueName: 'q', reservationTtlMs: 10 }, /`reservationTtlMs`.*10/],
    [{ connection: 'redis://x', queueName: 'q', globalConcurrency: 0 }, /`globalConcurrency`.*0/],
    [{ connection: 'redis://x', queueName: 'q', budgetUSD: 1 }, /budgetUSD/],
  ])('rejects %j, naming the option and the value', (options, message) => {
    expect(() => createRedisAdmission(options as never)).toThrow(message);
  });
});

describe('createRedisAdmission without Redis', () => {
  it('keeps its connection errors off stderr (no ioredis "Unhandled error event")', async () => {
    const printed: unknown[][] = [];
    const emitted: unknown[] = [];
    const emit = Redis.prototype.emit;
    const emits = vi.spyOn(Redis.prototype, 'emit').mockImplementation(function (
      this: Redis,
      name: string | symbol,
      ...args: unknown[]
    ) {
      emitted.push(name);
      return emit.call(this, name, ...args);
    });
    const spy = vi.spyOn(console, 'error').mockImplementation((...args: unknown[]) => {
      printed.push(args);
    });
    try {
      const admission = createRedisAdmission({
        connection: 'redis://127.0.0.1:1',
        queueName: 'nowhere',
      });
      // Until its client has emitted a connection error (ECONNREFUSED) at least twice.
      await vi.waitFor(
        () => expect(emitted.filter((name) => name === 'error').length).toBeGreaterThan(1),
        { timeout: 10_000 },
      );
      await admission.close();
    } finally {
      spy.mockRestore();
      emits.mockRestore();
    }
    expect(printed.filter((args) => String(args[0]).includes('ioredis'))).toEqual([]);
  });
});
