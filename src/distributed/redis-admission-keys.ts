import { cancelChannelOf } from './job/cancel-channel.js';
import { redisHashTag } from './redis-hash-tag.js';

/** The Redis keys and channels the shared admission of one queue uses. */
export interface AdmissionKeys {
  /** Micro-USD spent by the queue's finished tasks (an integer string). */
  readonly budgetSpent: string;
  /** Sorted set: job id → deadline (epoch ms) of its budget reservation. */
  readonly budgetDeadlines: string;
  /** Hash: job id → micro-USD it reserved. */
  readonly budgetAmounts: string;
  /** Holds the end of the shared rate-limit pause (epoch ms), expiring then. */
  readonly pause: string;
  /** BullMQ's own rate-limiter key of the queue (`<prefix>:<queue>:limiter`). */
  readonly bullLimiter: string;
  /** BullMQ's meta hash of the queue (global concurrency and rate limit). */
  readonly bullMeta: string;
  /** Pub/sub channel of pauses (`{ ms, reason }` JSON). */
  readonly pauseChannel: string;
  /** Pub/sub channel on which active jobs are cancelled (`{ jobId, reason }` JSON), the one `createWorker` listens to. */
  readonly cancelChannel: string;
  /** The key marking a run cancelled, so its jobs already fetched are refused. */
  cancelled(runId: string): string;
}

/**
 * The keys of a queue's shared admission, all in one Redis Cluster slot with BullMQ's keys of
 * the queue whenever BullMQ's can be: with a hash-tagged prefix (BullMQ's advice for Cluster,
 * `prefix: '{bull}'`) they are `<prefix>:<queue>:claude-actors:…`, sharing BullMQ's tag;
 * without one (BullMQ on a single Redis) they take the tag `{<prefix>:<queue>}`, so the
 * budget's and the pause's scripts still touch one slot each.
 *
 * @example
 * ```ts
 * admissionKeys('bull', 'tasks').pause; // '{bull:tasks}:claude-actors:pause'
 * admissionKeys('{bull}', 'tasks').pause; // '{bull}:tasks:claude-actors:pause'
 * ```
 */
export function admissionKeys(prefix: string, queueName: string): AdmissionKeys {
  const base = `${prefix}:${queueName}`;
  // Braces left in an untagged base could end the tag early (`}a:q`): the tag drops them.
  const tagged = redisHashTag(base) === undefined ? `{${base.replace(/[{}]/g, '')}}` : base;
  const own = `${tagged}:claude-actors`;
  return {
    budgetSpent: `${own}:budget:spent`,
    budgetDeadlines: `${own}:budget:deadlines`,
    budgetAmounts: `${own}:budget:amounts`,
    pause: `${own}:pause`,
    bullLimiter: `${base}:limiter`,
    bullMeta: `${base}:meta`,
    // Channels are no keys (Cluster broadcasts PUBLISH): untagged, the names workers know.
    pauseChannel: `${base}:claude-actors:pauses`,
    cancelChannel: cancelChannelOf(prefix, queueName),
    cancelled: (runId) => `${own}:cancelled:${runId}`,
  };
}
