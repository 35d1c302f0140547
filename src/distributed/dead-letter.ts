import type { Job, Queue } from 'bullmq';
import { redactValue } from '../core/redaction/redact-inspection-event.js';
import { redactSecrets } from '../core/redaction/redact-secrets.js';
import { type QueueTarget, withQueue } from './queue-operations-target.js';

/** A job whose attempts were exhausted, as kept in `<queue>-dead`. */
export interface DeadLetter {
  /** The failed job's id (`dead-<id>` in the dead-letter queue). */
  readonly jobId: string;
  /** The failed job's name. */
  readonly name: string;
  /** Its data, credentials redacted. */
  readonly data: unknown;
  /** Why its last attempt failed (redacted). */
  readonly failedReason: string;
  readonly attemptsMade: number;
  /** The attempts it was allowed (`opts.attempts`). */
  readonly attempts: number;
  /** When it was dead-lettered (epoch ms). */
  readonly deadAt: number;
}

/**
 * The dead-letter queue of a queue: `<queue>-dead`, a BullMQ queue no worker consumes (its
 * jobs stay waiting).
 */
export function deadLetterQueueName(queueName: string): string {
  return `${queueName}-dead`;
}

/** The id of a job's dead letter: BullMQ refuses integer custom ids, which plain job ids are. */
function deadLetterId(jobId: string): string {
  return `dead-${jobId}`;
}

/**
 * @internal Copies a job that failed for good into the dead-letter queue (`deadQueue`), with
 * its data and the reason; the same job twice is kept once.
 */
export async function recordDeadLetter(deadQueue: Queue, job: Job, error: Error): Promise<void> {
  const id = job.id;
  if (id === undefined) return;
  const letter: DeadLetter = {
    jobId: id,
    name: job.name,
    data: redactValue(job.data),
    failedReason: redactSecrets(job.failedReason || error.message),
    attemptsMade: job.attemptsMade,
    attempts: Math.max(1, job.opts.attempts ?? 1),
    deadAt: Date.now(),
  };
  await deadQueue.add('dead-letter', letter, { jobId: deadLetterId(id), removeOnComplete: true });
}

/**
 * @internal Why a job that completed still failed for good: a worker returns a task whose
 * query exhausted its retries as a result with `status: 'failed'` (the job itself completes).
 */
export function failedResultReason(returnValue: unknown): string | undefined {
  const result = returnValue as { status?: unknown; error?: { message?: unknown } } | null;
  if (typeof result !== 'object' || result === null || result.status !== 'failed') return undefined;
  return typeof result.error?.message === 'string' ? result.error.message : 'the task failed';
}

/** @internal Whether a job that just failed will not be tried again. */
export async function failedForGood(job: Job): Promise<boolean> {
  return (await job.getState()) === 'failed';
}

/**
 * The dead letters of a queue, oldest first.
 *
 * @example
 * ```ts
 * for (const letter of await listDeadLetters({ connection: 'redis://…', queueName: 'tasks' }))
 *   show(`${letter.jobId}: ${letter.failedReason}`);
 * ```
 */
export function listDeadLetters(
  target: QueueTarget,
  range: { readonly start?: number; readonly end?: number } = {},
): Promise<DeadLetter[]> {
  return withQueue(
    target,
    async (dead) => {
      const jobs = await dead.getJobs(['wait'], range.start ?? 0, range.end ?? -1, true);
      return jobs.map((job) => job.data as DeadLetter);
    },
    deadLetterQueueName(target.queueName),
  );
}

/**
 * Puts a dead-lettered job back in its queue to run again: the failed job itself is retried
 * (its attempts reset) when BullMQ still has it, else it is added again with the same id,
 * name, data and attempts. The dead letter is removed. Returns `false` when there is no such
 * dead letter.
 */
export function requeueDeadLetter(target: QueueTarget, jobId: string): Promise<boolean> {
  return withQueue(target, (queue) =>
    withQueue(
      target,
      async (dead) => {
        const letterJob = await dead.getJob(deadLetterId(jobId));
        if (!letterJob) return false;
        const letter = letterJob.data as DeadLetter;
        const failed = await queue.getJob(jobId);
        if (failed && (await failed.getState()) === 'failed') {
          await failed.retry('failed', { resetAttemptsMade: true, resetAttemptsStarted: true });
        } else {
          if (failed) await failed.remove();
          await queue.add(letter.name, letter.data, { jobId, attempts: letter.attempts });
        }
        await letterJob.remove();
        return true;
      },
      deadLetterQueueName(target.queueName),
    ),
  );
}

/** Removes every dead letter of a queue; returns how many there were. */
export function purgeDeadLetters(target: QueueTarget): Promise<number> {
  return withQueue(
    target,
    async (dead) => {
      const count = await dead.getJobCountByTypes('wait');
      await dead.obliterate({ force: true });
      return count;
    },
    deadLetterQueueName(target.queueName),
  );
}
