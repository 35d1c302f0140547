import { z } from 'zod';
import type { Logger } from '../core/logging/create-logger.js';
import { timerMsSchema } from '../core/validation/timer-ms-schema.js';
import { validate } from '../core/validation/validate.js';
import { DEFAULT_QUEUE_NAME } from './job/distributed-job.js';
import { RedisConnectionSchema } from './redis-connection.js';

const positiveInt = z.number().int().positive();

/** A BullMQ queue name: no `:` (BullMQ's key separator). */
export const QueueNameSchema = z.string().regex(/^[A-Za-z0-9_.-]{1,128}$/, {
  error: 'expected up to 128 letters, digits, `_`, `.` and `-`',
});

/** Options of `bullmqBackend`. */
export const BullmqBackendOptionsSchema = z.strictObject({
  /** Where Redis is: a `redis://` URL or ioredis options. */
  connection: RedisConnectionSchema,
  /** The queue the workers take tasks from. @defaultValue `'claude-actors'` */
  queueName: QueueNameSchema.default(DEFAULT_QUEUE_NAME),
  /** BullMQ's key prefix (workers must use the same). @defaultValue `'bull'` */
  prefix: z
    .string()
    .min(1)
    .regex(/^[^\s]+$/, { error: 'expected no spaces' })
    .default('bull'),
  /** Deadline of each Redis command (dispatch, state checks). @defaultValue 5000 */
  commandTimeoutMs: timerMsSchema(1).default(5_000),
  /**
   * How long a task waits for an unreachable Redis before its result fails with
   * `BACKEND_UNAVAILABLE` (a dispatch is retried meanwhile; it is idempotent).
   * @defaultValue 30000
   */
  unavailableMs: timerMsSchema(1).default(30_000),
  /**
   * How often the state of each dispatched job is checked, besides the queue's events (which a
   * Redis restart can lose). @defaultValue 1000
   */
  pollMs: timerMsSchema(1).default(1_000),
  /** How long a cancelled active job may take to stop on its worker. @defaultValue 15000 */
  cancelGraceMs: timerMsSchema(1).default(15_000),
  /**
   * A job that vanished from Redis (restarted without persistence) is added again this many
   * times before its result fails with `JOB_LOST`. @defaultValue 1
   */
  redispatchLost: z.number().int().nonnegative().default(1),
  /** Seconds finished jobs are kept (what makes a late duplicate dispatch a no-op). @defaultValue 86400 */
  keepFinishedSec: positiveInt.default(86_400),
  /** A pino logger; silent when absent. */
  logger: z
    .custom<Logger>((v) => typeof v === 'object' && v !== null, { error: 'expected a pino logger' })
    .optional(),
});

/** Options of `bullmqBackend`, as callers write them. */
export type BullmqBackendOptions = z.input<typeof BullmqBackendOptionsSchema>;

/** Options of `bullmqBackend` with defaults applied. */
export type ResolvedBullmqBackendOptions = z.output<typeof BullmqBackendOptionsSchema>;

/**
 * Validates the options of `bullmqBackend`.
 * @throws {@link InvalidOptionsError} naming the option and the value.
 * @internal
 */
export function parseBullmqBackendOptions(input: unknown): ResolvedBullmqBackendOptions {
  return validate(BullmqBackendOptionsSchema, input ?? {}, { what: 'bullmq backend option' });
}
