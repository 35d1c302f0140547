import { z } from 'zod';
import { ContentBlockSchema } from '../../protocol/content-block.js';
import { JobIdSchema } from './job-id.js';

/** The queue tasks go to when no `queueName` is given. */
export const DEFAULT_QUEUE_NAME = 'claude-actors';

/** The BullMQ job name of a task run. */
export const TASK_JOB_NAME = 'task';

const RUN_OR_TASK_ID = z.string().regex(/^[A-Za-z0-9_-]{1,64}$/, {
  error: 'expected up to 64 letters, digits, `_` and `-`',
});

/**
 * The data of one task-run job, as the scheduler writes it and a worker reads it (validated on
 * both sides). `options` are JSON query options without credentials (see `jobQueryOptions`):
 * workers use their own.
 */
export const DistributedJobDataSchema = z.strictObject({
  /** The contract's version: a worker refuses a job of another one. */
  v: z.literal(1),
  runId: RUN_OR_TASK_ID,
  taskId: RUN_OR_TASK_ID,
  /** Which run of the task (1 for the first): part of the job id. */
  attempt: z.number().int().positive(),
  /** The scheduler's query id (logs and the worker's query id). */
  queryId: z.string().min(1),
  prompt: z.union([z.string().min(1), z.array(ContentBlockSchema).min(1)]),
  options: z.record(z.string(), z.unknown()),
  tags: z.array(z.string()).default([]),
  /** Continue this CLI session (`--resume`) with `continuationPrompt` instead of `prompt`. */
  resumeSession: z.string().min(1).optional(),
  continuationPrompt: z.string().min(1).optional(),
});

/** The data of a task-run job. */
export type DistributedJobData = z.output<typeof DistributedJobDataSchema>;

/**
 * What a worker records on its job while it runs (`job.updateProgress`): the CLI session as
 * soon as its `system/init` arrives, so that a worker recovering the job after a crash
 * continues that session, and the scheduler journals it.
 */
export const DistributedJobProgressSchema = z.looseObject({
  sessionId: z.string().min(1).optional(),
  worker: z.string().optional(),
});

/** The progress of a task-run job. */
export type DistributedJobProgress = z.output<typeof DistributedJobProgressSchema>;

export { JobIdSchema };
