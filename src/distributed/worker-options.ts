import { z } from 'zod';
import type { Logger } from '../core/logging/create-logger.js';
import { timerMsSchema } from '../core/validation/timer-ms-schema.js';
import { validate } from '../core/validation/validate.js';
import type { Runtime } from '../runtime/create-runtime.js';
import type { RuntimeOptions } from '../runtime/runtime-options.js';
import { QueueNameSchema } from './bullmq-backend-options.js';
import { DEFAULT_QUEUE_NAME } from './job/distributed-job.js';
import { RedisConnectionSchema } from './redis-connection.js';
import type { WorkerAdmission } from './worker-admission.js';

const positiveInt = z.number().int().positive();

/** Options of `createWorker`. */
export const WorkerOptionsSchema = z
  .strictObject({
    /** Where Redis is: a `redis://` URL or ioredis options. */
    connection: RedisConnectionSchema,
    /** Run the jobs on this runtime (the worker does not stop it). */
    runtime: z
      .custom<Runtime>((v) => typeof (v as { query?: unknown } | null)?.query === 'function', {
        error: 'expected a runtime (`createRuntime()`)',
      })
      .optional(),
    /**
     * Options of the runtime the worker creates (and stops) when no `runtime` is given; its
     * limiter admits `concurrency` queries at once unless it says otherwise.
     * @defaultValue `{}`
     */
    runtimeOptions: z
      .custom<RuntimeOptions>((v) => typeof v === 'object' && v !== null, {
        error: 'expected runtime options',
      })
      .optional(),
    /** Jobs run at once by this worker. @defaultValue 1 */
    concurrency: positiveInt.default(1),
    /** @defaultValue `'claude-actors'` */
    queueName: QueueNameSchema.default(DEFAULT_QUEUE_NAME),
    /** BullMQ's key prefix (the scheduler's must be the same). @defaultValue `'bull'` */
    prefix: z.string().min(1).default('bull'),
    /** The admission shared by the queue's workers (`createRedisAdmission`); none admits all. */
    admission: z
      .custom<WorkerAdmission>(
        (v) => typeof (v as { admit?: unknown } | null)?.admit === 'function',
        { error: 'expected a worker admission (`createRedisAdmission()`)' },
      )
      .optional(),
    /** Names the worker in logs, job progress and results. @defaultValue `<hostname>:<pid>` */
    name: z.string().min(1).optional(),
    /**
     * How long a job's lock lasts without renewal (renewed every half of it while the job
     * runs): a worker that died loses its jobs after this, to be recovered by another worker.
     * @defaultValue 30000
     */
    lockDurationMs: timerMsSchema(1).default(30_000),
    /** How often the worker looks for jobs whose worker died (stalled). @defaultValue 15000 */
    stalledIntervalMs: timerMsSchema(1).default(15_000),
    /**
     * How long the worker waits for Redis when it starts before `createWorker` rejects with
     * `BACKEND_UNAVAILABLE`. @defaultValue 10000
     */
    connectTimeoutMs: timerMsSchema(1).default(10_000),
    /** Recoveries of one job after its worker died before it fails. @defaultValue 1 */
    maxStalledCount: z.number().int().nonnegative().default(1),
    /**
     * On `close()` / SIGTERM, how long running jobs may finish; the rest are cancelled and
     * handed back to the queue (another worker continues their session). @defaultValue 30000
     */
    shutdownMs: timerMsSchema(0).default(30_000),
    /**
     * Sent to a recovered job whose dead worker had started a CLI session, in that session.
     * @defaultValue the task queue's continuation prompt
     */
    continuationPrompt: z.string().trim().min(1).optional(),
    /** A pino logger; silent when absent. */
    logger: z
      .custom<Logger>((v) => typeof v === 'object' && v !== null, {
        error: 'expected a pino logger',
      })
      .optional(),
  })
  .superRefine((options, ctx) => {
    if (options.runtime && options.runtimeOptions) {
      ctx.addIssue({
        code: 'custom',
        path: ['runtimeOptions'],
        message: 'give `runtime` or `runtimeOptions`, not both',
        input: options.runtimeOptions,
      });
    }
    if (options.stalledIntervalMs > options.lockDurationMs) {
      ctx.addIssue({
        code: 'custom',
        path: ['stalledIntervalMs'],
        message: 'expected at most `lockDurationMs`',
        input: options.stalledIntervalMs,
      });
    }
  });

/** Options of `createWorker`, as callers write them. */
export type WorkerOptions = z.input<typeof WorkerOptionsSchema>;

/** Options of `createWorker` with defaults applied. */
export type ResolvedWorkerOptions = z.output<typeof WorkerOptionsSchema>;

/**
 * Validates the options of `createWorker`.
 * @throws {@link InvalidOptionsError} naming the option and the value.
 * @internal
 */
export function parseWorkerOptions(input: unknown): ResolvedWorkerOptions {
  return validate(WorkerOptionsSchema, input ?? {}, { what: 'worker option' });
}

/** Options of a worker's `close()`. */
export const WorkerCloseOptionsSchema = z.strictObject({
  /** How long running jobs may finish (ms). @defaultValue the worker's `shutdownMs` */
  deadlineMs: timerMsSchema(0).optional(),
});

/**
 * Validates the options of a worker's `close()`.
 * @throws {@link InvalidOptionsError} naming the option and the value.
 * @internal
 */
export function parseWorkerCloseOptions(input: unknown): z.output<typeof WorkerCloseOptionsSchema> {
  return validate(WorkerCloseOptionsSchema, input ?? {}, { what: 'worker close option' });
}
