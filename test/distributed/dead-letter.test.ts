import { Queue, Worker } from 'bullmq';
import { Redis } from 'ioredis';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import {
  deadLetterQueueName,
  listDeadLetters,
  purgeDeadLetters,
  requeueDeadLetter,
} from '../../src/distributed/dead-letter.js';
import { createRedisAdmission } from '../../src/distributed/redis-admission.js';
import { createRuntime } from '../../src/runtime/create-runtime.js';
import { redisUnavailable, startTestRedis, type TestRedis } from '../helpers/redis-server.js';

const why = redisUnavailable();
const KEY = 'sk-ant-api03-deadletterCANARY000000';

describe.skipIf(why)('dead letters (real Redis)', () => {
  let redis: TestRedis;
  let raw: Redis;
  const cleanups: (() => Promise<unknown>)[] = [];
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

  /** A queue and a worker attached to an admission; the processor fails while `failing()`. */
  async function setUp(options: { deadLetter?: boolean } = {}) {
    const prefix = redis.prefix();
    const connection = { host: redis.host, port: redis.port, maxRetriesPerRequest: null };
    const queue = new Queue('q', { connection, prefix });
    let failures = Number.POSITIVE_INFINITY;
    const runs: string[] = [];
    const worker = new Worker(
      'q',
      async (job) => {
        runs.push(job.id ?? '');
        if (failures-- > 0) throw new Error(`the API refused the key ${KEY}`);
        if (job.data.result) return job.data.result;
        return 'done';
      },
      { connection, prefix, autorun: false },
    );
    const admission = createRedisAdmission({
      connection: redis.url,
      queueName: 'q',
      prefix,
      ...options,
    });
    const runtime = createRuntime({});
    const detach = admission.attach(runtime, worker);
    cleanups.push(
      () => worker.close(),
      () => queue.close(),
      async () => detach(),
      () => admission.close(),
      () => runtime.stop(),
    );
    void worker.run();
    return {
      prefix,
      queue,
      runs,
      target: { connection: redis.url, queueName: 'q', prefix },
      failNext: (n: number) => {
        failures = n;
      },
    };
  }

  it('copies a job whose attempts are exhausted to <queue>-dead, redacted, and only then', async () => {
    const { queue, target, failNext } = await setUp();
    failNext(1);
    const retried = await queue.add('task', { runId: 'r', n: 1 }, { jobId: 'r.ok.1', attempts: 2 });
    await vi.waitFor(async () => expect(await retried.isCompleted()).toBe(true), {
      timeout: 10_000,
    });

    failNext(Number.POSITIVE_INFINITY);
    const data = { runId: 'r', options: { apiKey: KEY, env: { ANTHROPIC_API_KEY: KEY } } };
    await queue.add('task', data, { jobId: 'r.bad.1', attempts: 2 });
    await vi.waitFor(async () => expect(await listDeadLetters(target)).toHaveLength(1), {
      timeout: 10_000,
    });
    const [letter] = await listDeadLetters(target);
    expect(letter).toMatchObject({
      jobId: 'r.bad.1',
      name: 'task',
      attemptsMade: 2,
      attempts: 2,
      data: {
        runId: 'r',
        options: { apiKey: '[redacted]', env: { ANTHROPIC_API_KEY: '[redacted]' } },
      },
    });
    expect(letter!.failedReason).toContain('the API refused the key');
    expect(JSON.stringify(letter)).not.toContain(KEY);
    expect(deadLetterQueueName('q')).toBe('q-dead');
  });

  it("copies a job completed with a failed task result (its query's retries exhausted)", async () => {
    const { queue, target, failNext } = await setUp();
    failNext(0);
    const failed = { status: 'failed', error: { message: `429 after 3 attempts, key ${KEY}` } };
    await queue.add('task', { runId: 'r', result: { status: 'succeeded' } }, { jobId: 'r.fine.1' });
    await queue.add('task', { runId: 'r', result: failed }, { jobId: 'r.spent.1' });
    await vi.waitFor(async () => expect(await listDeadLetters(target)).toHaveLength(1), {
      timeout: 10_000,
    });
    const [letter] = await listDeadLetters(target);
    expect(letter).toMatchObject({ jobId: 'r.spent.1' });
    expect(letter!.failedReason).toBe('429 after 3 attempts, key [redacted]');
  });

  it('requeues a dead letter: the failed job runs again with its attempts reset', async () => {
    const { queue, target, runs, failNext } = await setUp();
    failNext(Number.POSITIVE_INFINITY);
    await queue.add('task', { runId: 'r' }, { jobId: 'r.t.1', attempts: 1 });
    await vi.waitFor(async () => expect(await listDeadLetters(target)).toHaveLength(1), {
      timeout: 10_000,
    });
    failNext(0);
    expect(await requeueDeadLetter(target, 'r.t.1')).toBe(true);
    await vi.waitFor(
      async () => expect(await (await queue.getJob('r.t.1'))?.isCompleted()).toBe(true),
      {
        timeout: 10_000,
      },
    );
    expect(runs).toEqual(['r.t.1', 'r.t.1']);
    expect(await listDeadLetters(target)).toEqual([]);
    expect(await requeueDeadLetter(target, 'r.t.1')).toBe(false);
  });

  it('requeues a dead letter whose failed job BullMQ no longer has by adding it again', async () => {
    const { queue, target, runs, failNext } = await setUp();
    await queue.add('task', { runId: 'r' }, { jobId: 'r.t.1', attempts: 1 });
    await vi.waitFor(async () => expect(await listDeadLetters(target)).toHaveLength(1), {
      timeout: 10_000,
    });
    await (await queue.getJob('r.t.1'))!.remove();
    failNext(0);
    expect(await requeueDeadLetter(target, 'r.t.1')).toBe(true);
    await vi.waitFor(() => expect(runs).toHaveLength(2), { timeout: 10_000 });
    expect((await queue.getJob('r.t.1'))?.data).toEqual({ runId: 'r' });
  });

  it('purges the dead letters, and keeps none with deadLetter: false', async () => {
    const { queue, target } = await setUp();
    await queue.add('task', { runId: 'r' }, { jobId: 'r.a.1' });
    await queue.add('task', { runId: 'r' }, { jobId: 'r.b.1' });
    await vi.waitFor(async () => expect(await listDeadLetters(target)).toHaveLength(2), {
      timeout: 10_000,
    });
    expect(await purgeDeadLetters(target)).toBe(2);
    expect(await listDeadLetters(target)).toEqual([]);

    const off = await setUp({ deadLetter: false });
    await off.queue.add('task', { runId: 'r' }, { jobId: 'r.c.1' });
    await vi.waitFor(
      async () => expect(await (await off.queue.getJob('r.c.1'))?.isFailed()).toBe(true),
      {
        timeout: 10_000,
      },
    );
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(await listDeadLetters(off.target)).toEqual([]);
  });
});
