import { cancelChannelOf } from './job/cancel-channel.js';

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
 * The keys of a queue's shared admission: `<prefix>:<queue>:claude-actors:…`. On Redis Cluster
 * BullMQ needs a hash-tagged prefix (`prefix: '{bull}'`, its advice); the admission's keys then
 * share BullMQ's tag, so every script of the budget and the pause touches one slot. Without a
 * tag (BullMQ on a single Redis, where slots do not matter) the names are those of earlier
 * versions, so a budget spent or a pause set before an upgrade is still read.
 *
 * @example
 * ```ts
 * admissionKeys('bull', 'tasks').pause; // 'bull:tasks:claude-actors:pause'
 * admissionKeys('{bull}', 'tasks').pause; // '{bull}:tasks:claude-actors:pause'
 * ```
 */
export function admissionKeys(prefix: string, queueName: string): AdmissionKeys {
  const base = `${prefix}:${queueName}`;
  const own = `${base}:claude-actors`;
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
