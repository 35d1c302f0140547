import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { redisUnavailable, startTestRedis, type TestRedis } from '../helpers/redis-server.js';

const why = redisUnavailable();

describe.skipIf(why !== undefined)('the tests’ private Redis', () => {
  let redis: TestRedis;
  beforeAll(async () => {
    redis = await startTestRedis();
  });
  afterAll(() => redis?.stop());

  it('serves commands, and loses its data on a restart (no persistence)', async () => {
    const client = new Redis(redis.url, { maxRetriesPerRequest: null, lazyConnect: true });
    await client.connect();
    const key = `${redis.prefix()}:k`;
    await client.set(key, 'v');
    expect(await client.get(key)).toBe('v');
    if (!process.env.REDIS_URL) {
      await redis.restart();
      // ioredis reconnects by itself; the key is gone with the old server.
      expect(await client.get(key)).toBeNull();
    }
    client.disconnect();
  });

  it('hands out a different key prefix each time', () => {
    expect(redis.prefix()).not.toBe(redis.prefix());
  });
});
