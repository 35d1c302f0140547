import { Queue } from 'bullmq';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createWorker, type DistributedWorker } from '../../src/distributed/create-worker.js';
import { listDeadLetters } from '../../src/distributed/dead-letter.js';
import { jobIdOf } from '../../src/distributed/job/job-id.js';
import {
  createRedisAdmission,
  type RedisAdmission,
} from '../../src/distributed/redis-admission.js';
import { admissionKeys } from '../../src/distributed/redis-admission-keys.js';
import { apiError, text } from '../../src/testing/builders.js';
import { eventually, useSimulator } from '../helpers/integration.js';
import { redisUnavailable, startTestRedis, type TestRedis } from '../helpers/redis-server.js';

const why = redisUnavailable();
const sim = useSimulator();
const API_KEY = 'canary-admission-apikey-7f3a';
const TOKEN = 'canary-admission-token-c81e';

/** Every key's value, as text: strings, hashes, lists, sets, sorted sets and streams. */
async function everyValue(redis: Redis): Promise<string> {
  const out: string[] = [];
  let cursor = '0';
  do {
    const [next, keys] = await redis.scan(cursor, 'COUNT', 500);
    cursor = next;
    for (const key of keys) {
      const type = await redis.type(key);
      const value =
        type === 'string'
          ? await redis.get(key)
          : type === 'hash'
            ? await redis.hgetall(key)
            : type === 'list'
              ? await redis.lrange(key, 0, -1)
              : type === 'set'
                ? await redis.smembers(key)
                : type === 'zset'
                  ? await redis.zrange(key, 0, -1, 'WITHSCORES')
                  : type === 'stream'
                    ? await redis.xrange(key, '-', '+')
                    : null;
      out.push(key, JSON.stringify(value));
      // The raw serialized form too, in case a value is stored in a shape read above misses.
      const dumped = await redis.dumpBuffer(key);
      if (dumped) out.push(dumped.toString('latin1'));
    }
  } while (cursor !== '0');
  return out.join('\n');
}

describe.skipIf(why)('one admission for two workers (real CLI, simulator, real Redis)', () => {
  let redis: TestRedis;
  let raw: Redis;
  beforeAll(async () => {
    redis = await startTestRedis();
    raw = new Redis(redis.url);
  });
  afterAll(async () => {
    await raw?.quit();
    await redis?.stop();
  });

  it('a 429 seen by one worker: no request reaches the API from any worker until the retry-after passes; no secret in Redis', async () => {
    const prefix = redis.prefix();
    const queueName = 'tasks';
    const keys = admissionKeys(prefix, queueName);
    const admissions: RedisAdmission[] = [];
    const workers: DistributedWorker[] = [];
    const queue = new Queue(queueName, {
      connection: { host: redis.host, port: redis.port, maxRetriesPerRequest: null },
      prefix,
    });
    const job = (taskId: string, prompt: string) =>
      queue.add(
        'task',
        {
          v: 1,
          runId: 'storm',
          taskId,
          attempt: 1,
          queryId: `storm/${taskId}`,
          prompt,
          options: {},
          tags: [],
        },
        { jobId: jobIdOf('storm', taskId, 1) },
      );
    try {
      for (const name of ['a', 'b']) {
        const admission = createRedisAdmission({ connection: redis.url, queueName, prefix });
        admissions.push(admission);
        workers.push(
          await createWorker({
            connection: redis.url,
            queueName,
            prefix,
            name,
            concurrency: 2,
            admission,
            runtimeOptions: {
              defaults: {
                ...sim.env.options,
                // The CLI retries the 429 itself, after its retry-after, and says so (api_retry).
                cliMaxRetries: 1,
                apiKey: API_KEY,
                env: { ...sim.env.options.env, MY_SERVICE_TOKEN: TOKEN },
              },
            },
          }),
        );
      }
      sim.env.simulator
        .on('storm', [
          apiError(429, { retryAfterSec: 2, message: `slow down, key ${API_KEY}` }),
          text('storm done'),
        ])
        .on('leaky', apiError(400, { message: `bad request: key ${API_KEY}, token ${TOKEN}` }))
        .on(() => true, text('done', { ttftMs: 100 }));

      await job('t0', 'storm');
      // The 429 pauses the runtime that saw it, which publishes the pause for the queue.
      let pausedForMs = 0;
      for (let i = 0; i < 400 && pausedForMs <= 0; i++) {
        pausedForMs = await raw.pttl(keys.pause);
        if (pausedForMs <= 0) await new Promise((resolve) => setTimeout(resolve, 25));
      }
      expect(pausedForMs).toBeGreaterThan(1_000);
      const pauseEnd = Date.now() + pausedForMs;
      // Both workers' limiters are paused: the one that saw the 429, and the other from Redis.
      expect(
        await eventually(
          () =>
            workers.every(
              (w) => (w.runtime.system().limiter?.state().pausedUntil ?? 0) > Date.now(),
            ),
          2_000,
        ),
      ).toBe(true);
      for (let i = 1; i <= 4; i++) await job(`t${i}`, `task ${i}`);

      await expect
        .poll(async () => queue.getJobCountByTypes('completed'), { timeout: 60_000, interval: 100 })
        .toBe(5);
      const results = await Promise.all(
        ['t0', 't1', 't2', 't3', 't4'].map(
          async (t) => (await queue.getJob(jobIdOf('storm', t, 1)))?.returnvalue,
        ),
      );
      expect(results.map((r) => r.status)).toEqual(Array(5).fill('succeeded'));
      // Both workers took jobs.
      expect(new Set(results.map((r) => r.worker))).toEqual(new Set(['a', 'b']));

      const requests = sim.env.simulator.requests;
      const first = requests.find((r) => r.prompt === 'storm')!;
      const later = requests.filter((r) => r !== first);
      expect(later.length).toBeGreaterThanOrEqual(5);
      // Nothing reached the API during the pause, from either worker: neither the retry of
      // the rate-limited task nor any task started after it (50 ms of clock rounding).
      for (const request of later) expect(request.at).toBeGreaterThanOrEqual(pauseEnd - 50);
      expect(later.find((r) => r.prompt === 'storm')!.at - first.at).toBeGreaterThanOrEqual(1_900);

      // A task that fails for good is dead-lettered, its echoed credentials redacted.
      await job('leaky', 'leaky');
      await expect
        .poll(
          async () => (await listDeadLetters({ connection: redis.url, queueName, prefix })).length,
          {
            timeout: 30_000,
            interval: 100,
          },
        )
        .toBe(1);
      const [letter] = await listDeadLetters({ connection: redis.url, queueName, prefix });
      expect(letter!.failedReason).toContain('[redacted]');

      const stored = await everyValue(raw);
      // The scan saw the queue's jobs and the dead letter (what could hold a leaked secret).
      expect(stored).toContain(`${prefix}:${queueName}-dead:dead-storm.leaky.1`);
      expect(stored).toContain('bad request');
      expect(stored.includes(API_KEY), 'Redis holds the apiKey').toBe(false);
      expect(stored.includes(TOKEN), 'Redis holds the env token').toBe(false);
    } finally {
      await Promise.all(workers.map((w) => w.close({ deadlineMs: 5_000 })));
      await Promise.all(admissions.map((a) => a.close()));
      await queue.close();
    }
  }, 90_000);
});
