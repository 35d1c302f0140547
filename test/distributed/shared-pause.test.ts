import { Queue, Worker } from 'bullmq';
import { Redis } from 'ioredis';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { admissionKeys } from '../../src/distributed/redis-admission-keys.js';
import { createSharedPause } from '../../src/distributed/shared-pause.js';
import { redisUnavailable, startTestRedis, type TestRedis } from '../helpers/redis-server.js';

const why = redisUnavailable();

describe.skipIf(why)('createSharedPause (real Redis)', () => {
  let redis: TestRedis;
  let raw: Redis;
  const closers: (() => Promise<unknown>)[] = [];
  beforeAll(async () => {
    redis = await startTestRedis();
    raw = new Redis(redis.url);
  });
  afterEach(async () => {
    vi.useRealTimers();
    await Promise.all(closers.splice(0).map((close) => close()));
  });
  afterAll(async () => {
    await raw?.quit();
    await redis?.stop();
  });

  it('sets the pause and BullMQ limiter keys until the end and tells subscribers', async () => {
    const keys = admissionKeys(redis.prefix(), 'q');
    const pause = createSharedPause({ redis: raw, keys, origin: 'w1' });
    const subscriber = new Redis(redis.url);
    closers.push(() => subscriber.quit());
    const messages: string[] = [];
    subscriber.on('message', (_channel, message) => messages.push(message));
    await subscriber.subscribe(keys.pauseChannel);

    expect(await pause.publish(Date.now() + 20_000, 'HTTP 429')).toBe(true);
    expect(await raw.pttl(keys.pause)).toBeGreaterThan(19_000);
    expect(await raw.get(keys.bullLimiter)).toBe('9007199254740991');
    expect(await raw.pttl(keys.bullLimiter)).toBeGreaterThan(19_000);
    expect(await pause.state()).toMatchObject({ reason: 'HTTP 429' });
    await vi.waitFor(() => expect(messages).toHaveLength(1));
    const message = pause.decode(messages[0]!);
    expect(message).toMatchObject({ reason: 'HTTP 429', origin: 'w1' });
    expect(message!.ms).toBeGreaterThan(19_000);
    expect(pause.decode('not json')).toBeUndefined();
    expect(pause.decode('{"ms":"x"}')).toBeUndefined();
  });

  it('keeps the longest pause: a shorter one is not published, a longer one replaces it', async () => {
    const keys = admissionKeys(redis.prefix(), 'q');
    const pause = createSharedPause({ redis: raw, keys, origin: 'w1' });
    expect(await pause.publish(Date.now() + 30_000, 'long')).toBe(true);
    expect(await pause.publish(Date.now() + 5_000, 'short')).toBe(false);
    expect(await pause.state()).toMatchObject({ reason: 'long' });
    expect(await pause.publish(Date.now() + 60_000, 'longer')).toBe(true);
    expect((await pause.state()).remainingMs).toBeGreaterThan(59_000);
    expect(await pause.publish(Date.now() - 1, 'over')).toBe(false);
  });

  it('never shortens a longer BullMQ rate limit already on the queue', async () => {
    const keys = admissionKeys(redis.prefix(), 'q');
    await raw.set(keys.bullLimiter, '3', 'PX', 50_000);
    const pause = createSharedPause({ redis: raw, keys, origin: 'w1' });
    await pause.publish(Date.now() + 2_000, 'HTTP 429');
    expect(await raw.pttl(keys.bullLimiter)).toBeGreaterThan(45_000);
  });

  it('stops BullMQ handing out jobs until the pause ends, on a queue without a rate limit', async () => {
    const prefix = redis.prefix();
    const keys = admissionKeys(prefix, 'jobs');
    const connection = { host: redis.host, port: redis.port, maxRetriesPerRequest: null };
    const queue = new Queue('jobs', { connection, prefix });
    const started: number[] = [];
    const worker = new Worker(
      'jobs',
      async () => {
        started.push(Date.now());
      },
      { connection, prefix, autorun: false },
    );
    closers.push(
      () => worker.close(),
      () => queue.close(),
    );
    const pause = createSharedPause({ redis: raw, keys, origin: 'w1' });
    await pause.ensureLimiter();
    expect(await raw.hget(keys.bullMeta, 'max')).toBe('9007199254740991');
    // A queue's own rate limit is left alone.
    const other = admissionKeys(prefix, 'other');
    await raw.hset(other.bullMeta, 'max', '7');
    await createSharedPause({ redis: raw, keys: other, origin: 'w1' }).ensureLimiter();
    expect(await raw.hget(other.bullMeta, 'max')).toBe('7');

    const pausedAt = Date.now();
    await pause.publish(pausedAt + 1_500, 'HTTP 429');
    await queue.add('a', {});
    void worker.run();
    await vi.waitFor(() => expect(started).toHaveLength(1), { timeout: 10_000 });
    expect(started[0]! - pausedAt).toBeGreaterThanOrEqual(1_400);
  });

  it('waitOver resolves once the pause is over, and rejects when aborted', async () => {
    const keys = admissionKeys(redis.prefix(), 'q');
    const pause = createSharedPause({ redis: raw, keys, origin: 'w1' });
    await pause.waitOver();
    await pause.publish(Date.now() + 60_000, 'HTTP 429');
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
    let over = false;
    const waiting = pause.waitOver().then(() => {
      over = true;
    });
    await until(() => vi.getTimerCount() > 0);
    // The pause ends early (as if 60 s had passed in Redis) and the wait's timer fires.
    await raw.del(keys.pause);
    expect(over).toBe(false);
    vi.advanceTimersByTime(60_000);
    await waiting;
    expect(over).toBe(true);

    await pause.publish(Date.now() + 60_000, 'HTTP 429');
    const controller = new AbortController();
    const aborted = pause.waitOver(controller.signal).catch((e: unknown) => e);
    await until(() => vi.getTimerCount() > 0);
    controller.abort('stop');
    expect(await aborted).toMatchObject({ code: 'CANCELLED' });
  });
});

async function until(predicate: () => boolean): Promise<void> {
  for (let i = 0; i < 1_000 && !predicate(); i++) {
    await new Promise((resolve) => setImmediate(resolve));
  }
  expect(predicate()).toBe(true);
}
