import type { Job, JobType } from 'bullmq';
import { z } from 'zod';
import { validate } from '../core/validation/validate.js';
import { deadLetterQueueName } from './dead-letter.js';
import { type QueueTarget, withQueue } from './queue-operations-target.js';
import { admissionKeys } from './redis-admission-keys.js';

/** How many jobs a queue holds in each state, and its shared admission. */
export interface QueueMetrics {
  readonly waiting: number;
  readonly active: number;
  readonly completed: number;
  readonly failed: number;
  readonly delayed: number;
  /** Whether the queue is paused (`queue.pause()`): its waiting jobs are not handed out. */
  readonly paused: boolean;
  readonly prioritized: number;
  /** Jobs whose attempts were exhausted, kept in `<queue>-dead`. */
  readonly deadLettered: number;
  /** The global concurrency cap, when one is set. */
  readonly globalConcurrency: number | undefined;
  /** Ms left of a shared rate-limit pause (0 when none is on). */
  readonly rateLimitedForMs: number;
}

/**
 * Counts a queue's jobs by state, with its dead letters, global concurrency and shared pause.
 *
 * @example
 * ```ts
 * const { waiting, active, failed } = await queueMetrics({ connection: url, queueName: 'tasks' });
 * ```
 */
export function queueMetrics(target: QueueTarget): Promise<QueueMetrics> {
  return withQueue(target, async (queue, prefix, client) => {
    const counts = await queue.getJobCounts(
      'waiting',
      'active',
      'completed',
      'failed',
      'delayed',
      'prioritized',
    );
    const keys = admissionKeys(prefix, target.queueName);
    const [paused, globalConcurrency, pttl, deadLettered] = await Promise.all([
      queue.isPaused(),
      queue.getGlobalConcurrency(),
      client.pttl(keys.pause),
      withQueue(
        target,
        (dead) => dead.getJobCountByTypes('wait'),
        deadLetterQueueName(target.queueName),
      ),
    ]);
    return {
      waiting: counts.waiting ?? 0,
      active: counts.active ?? 0,
      completed: counts.completed ?? 0,
      failed: counts.failed ?? 0,
      delayed: counts.delayed ?? 0,
      paused,
      prioritized: counts.prioritized ?? 0,
      deadLettered,
      globalConcurrency: globalConcurrency ?? undefined,
      rateLimitedForMs: Math.max(0, pttl),
    };
  });
}

/** What {@link cancelRun} did. */
export interface CancelRunReport {
  /** Jobs removed before they started (waiting, delayed, prioritized, waiting for children). */
  readonly removed: readonly string[];
  /** Active jobs whose workers were asked to abort them. */
  readonly aborting: readonly string[];
}

const CancelRunOptionsSchema = z.strictObject({
  reason: z.string().min(1).optional(),
  // A Redis expiry (PX), not a timer: no timer cap.
  ttlMs: z.number().int().positive().optional(),
});

const NOT_STARTED: JobType[] = ['wait', 'delayed', 'prioritized', 'waiting-children'];
const PAGE = 500;

/**
 * Cancels a run on a queue: removes its jobs that have not started, asks the workers holding
 * its active ones to abort them (on the cancel channel `createWorker` listens to), and marks
 * the run cancelled (for `ttlMs`) so a job of it a worker already fetched is refused at
 * admission. A job belongs to the run when its data's `runId` is `runId`.
 *
 * @throws TypeError when `runId` is empty, {@link InvalidOptionsError} naming `reason` or
 *   `ttlMs` (an integer from 1 to 2³¹ − 1) and the value; nothing is changed then.
 */
export function cancelRun(
  target: QueueTarget,
  runId: string,
  options: { readonly reason?: string; readonly ttlMs?: number } = {},
): Promise<CancelRunReport> {
  if (typeof runId !== 'string' || runId.length === 0) {
    throw new TypeError(`Expected \`runId\` to be a non-empty string, got \`${String(runId)}\``);
  }
  const checked = validate(CancelRunOptionsSchema, options ?? {}, { what: 'cancelRun option' });
  const reason = checked.reason ?? `run ${runId} was cancelled`;
  return withQueue(target, async (queue, prefix, client) => {
    const keys = admissionKeys(prefix, target.queueName);
    // Marked first: a job fetched while the others are removed is refused at admission.
    await client.set(keys.cancelled(runId), reason, 'PX', checked.ttlMs ?? 86_400_000);
    const removed: string[] = [];
    const aborting: string[] = [];
    for (const job of await jobsOf(runId, NOT_STARTED, (types, s, e) =>
      queue.getJobs(types, s, e),
    )) {
      // A job that became active meanwhile is locked: it is aborted instead.
      const ok = await job.remove().then(
        () => true,
        () => false,
      );
      if (ok && job.id) removed.push(job.id);
      else if (job.id) aborting.push(job.id);
    }
    for (const job of await jobsOf(runId, ['active'], (types, s, e) =>
      queue.getJobs(types, s, e),
    )) {
      if (job.id) aborting.push(job.id);
    }
    for (const jobId of aborting) {
      await client.publish(keys.cancelChannel, JSON.stringify({ jobId, reason }));
    }
    return { removed, aborting };
  });
}

async function jobsOf(
  runId: string,
  types: JobType[],
  page: (types: JobType[], start: number, end: number) => Promise<Job[]>,
): Promise<Job[]> {
  const out: Job[] = [];
  for (let start = 0; ; start += PAGE) {
    const jobs = await page(types, start, start + PAGE - 1);
    for (const job of jobs) {
      if (job && (job.data as { runId?: unknown } | undefined)?.runId === runId) out.push(job);
    }
    if (jobs.length < PAGE) return out;
  }
}

/** What {@link cleanQueue} removed, by state. */
export interface CleanReport {
  readonly completed: number;
  readonly failed: number;
}

/**
 * Removes completed and failed jobs that finished more than `olderThanMs` ago
 * (`queue.clean`), up to `limit` of each per call.
 *
 * @throws TypeError when `olderThanMs` is not a non-negative integer.
 */
export function cleanQueue(
  target: QueueTarget,
  options: { readonly olderThanMs: number; readonly limit?: number },
): Promise<CleanReport> {
  const { olderThanMs, limit = 10_000 } = options;
  if (!Number.isInteger(olderThanMs) || olderThanMs < 0) {
    throw new TypeError(
      `Expected \`olderThanMs\` to be a non-negative integer, got \`${String(olderThanMs)}\``,
    );
  }
  return withQueue(target, async (queue) => {
    const completed = await queue.clean(olderThanMs, limit, 'completed');
    const failed = await queue.clean(olderThanMs, limit, 'failed');
    return { completed: completed.length, failed: failed.length };
  });
}

/**
 * Caps how many jobs all workers of a queue run at once (`queue.setGlobalConcurrency`);
 * `undefined` removes the cap.
 *
 * @throws TypeError when `limit` is not a positive integer.
 */
export function setGlobalConcurrency(
  target: QueueTarget,
  limit: number | undefined,
): Promise<void> {
  if (limit !== undefined && (!Number.isInteger(limit) || limit < 1)) {
    throw new TypeError(
      `Expected the global concurrency to be a positive integer, got \`${String(limit)}\``,
    );
  }
  return withQueue(target, async (queue) => {
    if (limit === undefined) await queue.removeGlobalConcurrency();
    else await queue.setGlobalConcurrency(limit);
  });
}
