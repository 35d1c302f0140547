import type { Queue, QueueEvents } from 'bullmq';
import type { Redis } from 'ioredis';
import type { Logger } from '../../core/logging/create-logger.js';
import type { ResolvedBullmqBackendOptions } from '../bullmq-backend-options.js';
import { redisOptionsOf } from '../redis-connection.js';

/**
 * The connected parts of a backend.
 * @internal
 */
export interface BackendConnection {
  readonly queue: Queue;
  readonly events: QueueEvents;
  /** For PING and the cancel channel. */
  readonly client: Redis;
  readonly connections: readonly Redis[];
}

/**
 * What the queue's events tell about a job.
 * @internal
 */
export interface BackendJobEvents {
  completed(jobId: string, returnValue: unknown): void;
  failed(jobId: string, failedReason: string | undefined): void;
  progress(jobId: string, data: unknown): void;
}

/**
 * Connects a backend's queue and its event stream on connections of our own, given to BullMQ:
 * a close that waits for an unreachable Redis can be cut short by disconnecting them (BullMQ's
 * own close would wait forever). `bullmq` and `ioredis` are loaded here, on first use.
 * @internal
 */
export async function connectBackend(
  options: ResolvedBullmqBackendOptions,
  log: Logger | undefined,
  on: BackendJobEvents,
): Promise<BackendConnection> {
  const [{ Queue, QueueEvents }, { Redis }] = await Promise.all([
    import('bullmq'),
    import('ioredis'),
  ]);
  const { queueName, prefix } = options;
  const connection = redisOptionsOf(options.connection);
  const client = new Redis({ ...connection, maxRetriesPerRequest: 1 });
  const queueConnection = new Redis({ ...connection, maxRetriesPerRequest: 1 });
  // Blocking reads: BullMQ needs `maxRetriesPerRequest: null` on this one.
  const eventsConnection = new Redis({ ...connection, maxRetriesPerRequest: null });
  for (const c of [client, queueConnection, eventsConnection]) {
    c.on('error', (error) => log?.debug({ error }, 'redis connection error'));
  }
  const queue = new Queue(queueName, { connection: queueConnection, prefix });
  const events = new QueueEvents(queueName, { connection: eventsConnection, prefix });
  queue.on('error', (error) => log?.warn({ error }, 'queue connection error'));
  events.on('error', (error) => log?.warn({ error }, 'queue events connection error'));
  events.on('completed', ({ jobId, returnvalue }) => on.completed(jobId, returnvalue));
  events.on('failed', ({ jobId, failedReason }) => on.failed(jobId, failedReason));
  events.on('progress', ({ jobId, data }) => on.progress(jobId, data));
  return { queue, events, client, connections: [client, queueConnection, eventsConnection] };
}
