import type { Queue } from 'bullmq';
import type { Redis } from 'ioredis';
import { type AdmissionConnection, openRedis } from './redis-admission-options.js';

/** The queue an operation acts on. */
export interface QueueTarget {
  /** A `redis://` URL, ioredis options, or an ioredis client (duplicated, left open). */
  readonly connection: AdmissionConnection;
  readonly queueName: string;
  /** BullMQ's key prefix. @defaultValue 'bull' */
  readonly prefix?: string | undefined;
}

/**
 * @internal Runs `use` with a BullMQ queue named `name` (default: the target's) and the Redis
 * client it uses, its own connection, closed after, whatever happens.
 */
export async function withQueue<T>(
  target: QueueTarget,
  use: (queue: Queue, prefix: string, redis: Redis) => Promise<T>,
  name: string = target.queueName,
): Promise<T> {
  if (typeof target.queueName !== 'string' || target.queueName.length === 0) {
    throw new TypeError(
      `Expected \`queueName\` to be a non-empty string, got \`${String(target.queueName)}\``,
    );
  }
  const prefix = target.prefix ?? 'bull';
  // Loaded on first use: importing the library does not load BullMQ.
  const { Queue } = await import('bullmq');
  const redis = await openRedis(target.connection);
  const queue = new Queue(name, { connection: redis, prefix });
  try {
    return await use(queue, prefix, redis);
  } finally {
    await queue.close();
    await redis.quit().catch(() => redis.disconnect());
  }
}
