import type { Redis, RedisOptions } from 'ioredis';
import { z } from 'zod';
import type { Logger } from '../core/logging/create-logger.js';
import { timerMsSchema } from '../core/validation/timer-ms-schema.js';
import { validate } from '../core/validation/validate.js';

/**
 * Where Redis is: a `redis://` / `rediss://` URL, ioredis options, or an ioredis client (which
 * is duplicated, never closed by the admission).
 */
export type AdmissionConnection = string | RedisOptions | Redis;

const usd = z.number().nonnegative().refine(Number.isFinite, { error: 'expected a finite number' });

/** Options of `createRedisAdmission`. */
export const RedisAdmissionOptionsSchema = z.strictObject({
  connection: z.union([
    z.string().regex(/^rediss?:\/\/\S+$/, { error: 'expected a redis:// or rediss:// URL' }),
    z.custom<Redis>((v) => typeof (v as { duplicate?: unknown } | null)?.duplicate === 'function', {
      error: 'expected an ioredis client',
    }),
    z.looseObject({}),
  ]),
  /** The BullMQ queue whose workers share this admission. */
  queueName: z.string().min(1),
  /** BullMQ's key prefix. @defaultValue 'bull' */
  prefix: z.string().min(1).default('bull'),
  /** The USD all workers of the queue may spend together; no shared budget without it. */
  budgetUsd: usd.optional(),
  /**
   * What a job without a `reserveUsd` (no `maxBudgetUsd`) reserves of the shared budget.
   * @defaultValue 0 (it is admitted while anything is left)
   */
  defaultReserveUsd: usd.default(0),
  /**
   * How long a reservation lives unless renewed (renewed every third of it while its task
   * runs): a dead worker's reservation returns to the budget after this.
   * @defaultValue 60000
   */
  reservationTtlMs: timerMsSchema(1_000).default(60_000),
  /** Jobs all workers of the queue run at once (`queue.setGlobalConcurrency`), set on attach. */
  globalConcurrency: z.number().int().positive().optional(),
  /**
   * Copy jobs whose attempts are exhausted to `<queue>-dead` (see `listDeadLetters`).
   * @defaultValue true
   */
  deadLetter: z.boolean().default(true),
  /** How long a cancelled run's mark stays, refusing its jobs at admission. @defaultValue 1 day */
  // A Redis expiry (PX), not a timer: no timer cap.
  cancelledRunTtlMs: z.number().int().positive().default(86_400_000),
  logger: z.custom<Logger>((v) => typeof v === 'object' && v !== null).optional(),
});

/** Options of `createRedisAdmission`, as callers give them. */
export type RedisAdmissionOptions = z.input<typeof RedisAdmissionOptionsSchema> & {
  readonly connection: AdmissionConnection;
};

/** @internal Options with their defaults. */
export type ResolvedRedisAdmissionOptions = z.output<typeof RedisAdmissionOptionsSchema> & {
  readonly connection: AdmissionConnection;
};

/**
 * @internal Validates the options of `createRedisAdmission`.
 * @throws `InvalidOptionsError` naming each bad option and the value received.
 */
export function parseRedisAdmissionOptions(input: unknown): ResolvedRedisAdmissionOptions {
  return validate(RedisAdmissionOptionsSchema, input, {
    what: 'redis admission option',
  }) as ResolvedRedisAdmissionOptions;
}

/**
 * @internal A new client for `connection` (a duplicate of a given client). ioredis is loaded
 * here, on first use, so that importing the library does not load it. Its connection errors go
 * to `onError` (by default nowhere: the commands that fail reject with them), never to
 * ioredis's "Unhandled error event" on stderr.
 */
export async function openRedis(
  connection: AdmissionConnection,
  onError: (error: Error) => void = () => undefined,
): Promise<Redis> {
  let client: Redis;
  if (isClient(connection)) client = connection.duplicate();
  else {
    const { Redis } = await import('ioredis');
    client = typeof connection === 'string' ? new Redis(connection) : new Redis(connection);
  }
  client.on('error', onError);
  return client;
}

function isClient(connection: AdmissionConnection): connection is Redis {
  return typeof (connection as { duplicate?: unknown }).duplicate === 'function';
}
