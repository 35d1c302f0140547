import type { Queue } from 'bullmq';
import type { Logger } from '../../core/logging/create-logger.js';
import type { QueryOptions } from '../../machines/query/options/query-options.js';
import type { QueryPrompt } from '../../machines/query/query-types.js';
import type { BackendTaskRun } from '../../orchestration/task-queue/task-queue-backend.js';
import {
  type DistributedJobData,
  DistributedJobDataSchema,
  TASK_JOB_NAME,
} from '../job/distributed-job.js';
import { jobQueryOptions } from '../job/job-query-options.js';
import { withDeadline } from '../with-deadline.js';

/**
 * The data of `run`'s job: its prompt and options without credentials (workers use their own;
 * what was left out is logged at debug), its run, task and attempt.
 * @internal
 */
export function taskJobData(
  prompt: QueryPrompt,
  queryOptions: QueryOptions,
  run: BackendTaskRun,
  log: Logger | undefined,
): DistributedJobData {
  const { options, dropped } = jobQueryOptions(queryOptions);
  if (dropped.length > 0)
    log?.debug({ dropped, taskId: run.taskId }, 'credentials left out of a job');
  return DistributedJobDataSchema.parse({
    v: 1,
    runId: run.runId,
    taskId: run.taskId,
    attempt: run.attempt,
    queryId: run.queryId,
    prompt,
    options,
    tags: [...run.tags],
    ...(run.resumeSession === undefined ? {} : { resumeSession: run.resumeSession }),
    ...(run.continuationPrompt === undefined ? {} : { continuationPrompt: run.continuationPrompt }),
  });
}

/**
 * Adds a task's job to the queue, once (BullMQ ignores a second add of the same id): one
 * attempt (the scheduler retries with a new job), finished jobs kept `keepFinishedSec`.
 *
 * @throws Error when Redis does not answer within `commandTimeoutMs`.
 * @internal
 */
export async function addTaskJob(
  queue: Queue,
  jobId: string,
  data: DistributedJobData,
  options: { readonly keepFinishedSec: number; readonly commandTimeoutMs: number },
): Promise<void> {
  await withDeadline(
    queue.add(TASK_JOB_NAME, data, {
      jobId,
      attempts: 1,
      removeOnComplete: { age: options.keepFinishedSec },
      removeOnFail: { age: options.keepFinishedSec },
    }),
    options.commandTimeoutMs,
    `adding job ${jobId}`,
  );
}
