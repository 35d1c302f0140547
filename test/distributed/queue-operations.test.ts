import { Queue, Worker } from 'bullmq';
import { Redis } from 'ioredis';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import {
  cancelRun,
  cleanQueue,
  queueMetrics,
  setGlobalConcurrency,
} from '../../src/distributed/queue-operations.js';
import { createRedisAdmission } from '../../src/distributed/redis-admission.js';
import { admissionKeys } from '../../src/distributed/redis-admission-keys.js';
import { createSharedPause } from '../../src/distributed/shared-pause.js';
import { redisUnavailable, startTestRedis, type TestRedis } from '../helpers/redis-server.js';

const why = redisUnavailable();

describe.skipIf(why)('queue operations (real Redis)', () => {
  let redis: TestRedis;
  let raw: Redis;
  const cleanups: (() => Promise<unknown>)[] = [];
  const connection = () => ({ host: redis.host, port: redis.port, maxRetriesPerRequest: null });
  beforeAll(async () => {
    redis = await startTestRedis();
    raw = new Redis(redis.url);
  });
  afterEach(async () => {
    for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
  });
  afterAll(async () => {
    await raw?.quit();
    await redis?.stop();
  });
  const queueOn = (prefix: string): Queue => {
    const queue = new Queue('q', { connection: connection(), prefix });
    cleanups.push(() => queue.close());
    return queue;
  };

  it('queueMetrics counts jobs by state, dead letters, the cap and the shared pause', async () => {
    const prefix = redis.prefix();
    const target = { connection: redis.url, queueName: 'q', prefix };
    const queue = queueOn(prefix);
    const worker = new Worker(
      'q',
      async (job) => {
        if (job.data.fail) throw new Error('no');
        return 'ok';
      },
      { connection: connection(), prefix, autorun: false },
    );
    cleanups.push(() => worker.close());
    const admission = createRedisAdmission({ connection: redis.url, queueName: 'q', prefix });
    cleanups.push(() => admission.close());
    admission.attach(
      (await import('../../src/runtime/create-runtime.js')).createRuntime({}),
      worker,
    );
    await queue.add('a', { fail: false });
    await queue.add('b', { fail: true });
    void worker.run();
    await vi.waitFor(async () => expect((await queueMetrics(target)).deadLettered).toBe(1), {
      timeout: 10_000,
    });
    await queue.pause();
    await queue.add('c', {});
    await queue.add('d', {}, { delay: 60_000 });
    await queue.add('e', {}, { priority: 3 });
    await setGlobalConcurrency(target, 4);
    await createSharedPause({ redis: raw, keys: admissionKeys(prefix, 'q'), origin: 't' }).publish(
      Date.now() + 30_000,
      'HTTP 429',
    );
    const metrics = await queueMetrics(target);
    expect(metrics).toMatchObject({
      waiting: 1,
      active: 0,
      completed: 1,
      failed: 1,
      delayed: 1,
      prioritized: 1,
      paused: true,
      deadLettered: 1,
      globalConcurrency: 4,
    });
    expect(metrics.rateLimitedForMs).toBeGreaterThan(25_000);
    await setGlobalConcurrency(target, undefined);
    expect((await queueMetrics(target)).globalConcurrency).toBeUndefined();
  });

  it("cancelRun removes the run's pending jobs, asks for its active ones, and marks it", async () => {
    const prefix = redis.prefix();
    const target = { connection: redis.url, queueName: 'q', prefix };
    const keys = admissionKeys(prefix, 'q');
    const queue = queueOn(prefix);
    const worker = new Worker(
      'q',
      async (_job, _token, signal) =>
        new Promise((_resolve, reject) => {
          signal?.addEventListener('abort', () => reject(new Error('aborted')));
        }),
      { connection: connection(), prefix, autorun: false },
    );
    cleanups.push(() => worker.close(true));
    const messages: string[] = [];
    const listener = new Redis(redis.url);
    cleanups.push(() => listener.quit());
    listener.on('message', (_c, m) => messages.push(m));
    await listener.subscribe(keys.cancelChannel);

    await queue.add('t', { runId: 'A' }, { jobId: 'A.one.1' });
    void worker.run();
    await vi.waitFor(async () => expect(await queue.getActiveCount()).toBe(1));
    await worker.pause(true);
    await queue.add('t', { runId: 'A' }, { jobId: 'A.two.1' });
    await queue.add('t', { runId: 'A' }, { jobId: 'A.three.1', delay: 60_000 });
    await queue.add('t', { runId: 'B' }, { jobId: 'B.one.1' });

    const report = await cancelRun(target, 'A');
    expect([...report.removed].sort()).toEqual(['A.three.1', 'A.two.1']);
    expect(report.aborting).toEqual(['A.one.1']);
    await vi.waitFor(() => expect(messages).toHaveLength(1));
    expect(JSON.parse(messages[0]!)).toEqual({ jobId: 'A.one.1', reason: 'run A was cancelled' });
    expect(await queue.getJob('B.one.1')).toBeDefined();
    expect(await queue.getJob('A.two.1')).toBeUndefined();
    // A job of the run fetched later is refused at admission.
    const admission = createRedisAdmission({ connection: redis.url, queueName: 'q', prefix });
    cleanups.push(() => admission.close());
    await expect(
      admission.admit({ jobId: 'A.four.1', runId: 'A', taskId: 'four' }),
    ).rejects.toMatchObject({
      code: 'CANCELLED',
    });
    expect(() => cancelRun(target, '')).toThrow(/`runId`/);
  });

  it.each([
    [{ ttlMs: 1.5 }, /`ttlMs`/],
    [{ ttlMs: -1 }, /`ttlMs`: expected a positive number/],
    [{ ttlMs: 'soon' }, /`ttlMs`/],
    [{ reason: 42 }, /`reason`/],
    [{ tttlMs: 5 }, /`tttlMs`/],
  ])('cancelRun refuses %j before touching Redis', (options, message) => {
    const target = { connection: 'redis://127.0.0.1:1', queueName: 'q' };
    expect(() => cancelRun(target, 'A', options as never)).toThrow(message);
  });

  it('cleanQueue removes finished jobs older than the grace only', async () => {
    const prefix = redis.prefix();
    const target = { connection: redis.url, queueName: 'q', prefix };
    const queue = queueOn(prefix);
    const worker = new Worker(
      'q',
      async (job) => {
        if (job.data.fail) throw new Error('no');
      },
      { connection: connection(), prefix },
    );
    cleanups.push(() => worker.close());
    await queue.addBulk([
      { name: 'a', data: {} },
      { name: 'b', data: {} },
      { name: 'c', data: { fail: true } },
    ]);
    await vi.waitFor(async () =>
      expect(await queue.getJobCounts('completed', 'failed')).toEqual({ completed: 2, failed: 1 }),
    );
    expect(await cleanQueue(target, { olderThanMs: 60_000 })).toEqual({ completed: 0, failed: 0 });
    expect(await cleanQueue(target, { olderThanMs: 0 })).toEqual({ completed: 2, failed: 1 });
    expect(await queue.getJobCounts('completed', 'failed')).toEqual({ completed: 0, failed: 0 });
  });

  it.each([
    [
      () => cleanQueue({ connection: 'redis://x', queueName: 'q' }, { olderThanMs: -1 }),
      /`olderThanMs`.*`-1`/,
    ],
    [
      () => setGlobalConcurrency({ connection: 'redis://x', queueName: 'q' }, 0),
      /positive integer.*`0`/,
    ],
  ])('rejects bad input before connecting (%#)', (call, message) => {
    expect(call).toThrow(message);
  });
});
