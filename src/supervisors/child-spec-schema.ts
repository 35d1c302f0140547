import { z } from 'zod';
import { MAX_TIMER_MESSAGE, MAX_TIMER_MS } from '../core/validation/max-timer-ms.js';
import {
  type ChildSpecErrorReason,
  InvalidChildSpecError,
} from './errors/invalid-child-spec-error.js';

/** A delay that becomes a timer: at most the longest one Node honours (a longer one fires at once). */
const delayMs = z.number().nonnegative().max(MAX_TIMER_MS, { error: MAX_TIMER_MESSAGE });

const fn = (reason: string) =>
  z.custom<(...args: never[]) => unknown>((v) => typeof v === 'function', { error: reason });

/** Child spec fields (OTP `child_spec()`); defaults that depend on other fields come later. */
export const ChildSpecSchema = z.looseObject({
  id: z.string().min(1),
  start: fn('expected a function'),
  restart: z.enum(['permanent', 'transient', 'temporary']).default('permanent'),
  significant: z.boolean().default(false),
  type: z.enum(['worker', 'supervisor']).default('worker'),
  shutdown: z.union([z.literal('brutal_kill'), z.literal('infinity'), delayMs.int()]).optional(),
  exitReason: fn('expected a function').optional(),
});

/** The fields OTP checks before `significant` may be judged (its `do_check_childspec` order). */
export const ChildSpecHeadSchema = ChildSpecSchema.pick({
  id: true,
  start: true,
  restart: true,
  significant: true,
});

/** Supervisor flags (OTP `sup_flags()`) with OTP's defaults. */
export const SupervisorFlagsSchema = z.looseObject({
  strategy: z
    .enum(['one_for_one', 'one_for_all', 'rest_for_one', 'simple_one_for_one'])
    .default('one_for_one'),
  intensity: z.number().int().nonnegative().default(1),
  period: z.number().positive().default(5),
  autoShutdown: z.enum(['never', 'any_significant', 'all_significant']).default('never'),
  backoff: z
    .strictObject({
      minMs: delayMs,
      maxMs: delayMs,
      randomFactor: z.number().nonnegative().default(0),
      resetAfterMs: delayMs.optional(),
    })
    .refine((b) => b.maxMs >= b.minMs, { error: 'expected maxMs >= minMs' })
    .optional(),
  random: fn('expected a function').optional(),
});

/** OTP's reason for a failure at each field. */
const REASONS: Readonly<Record<string, ChildSpecErrorReason>> = {
  id: 'missing_id',
  start: 'missing_start',
  restart: 'invalid_restart_type',
  type: 'invalid_child_type',
  shutdown: 'invalid_shutdown',
  significant: 'invalid_significant',
  exitReason: 'invalid_exit_reason',
  strategy: 'invalid_strategy',
  intensity: 'invalid_intensity',
  period: 'invalid_period',
  autoShutdown: 'invalid_auto_shutdown',
  backoff: 'invalid_backoff',
  random: 'invalid_backoff',
};

/**
 * Parses with a schema and turns the first failing field into OTP's reason.
 *
 * @throws {@link InvalidChildSpecError}
 */
export function parseWithReasons<T extends z.ZodType>(
  schema: T,
  input: unknown,
  childId?: string,
): z.output<T> {
  if (typeof input !== 'object' || input === null) {
    throw new InvalidChildSpecError(
      schema === (ChildSpecSchema as z.ZodType) || schema === (ChildSpecHeadSchema as z.ZodType)
        ? 'invalid_child_spec'
        : 'invalid_strategy',
      input,
      childId,
    );
  }
  const parsed = schema.safeParse(input);
  if (parsed.success) return parsed.data;
  const field = String(parsed.error.issues[0]?.path[0] ?? 'id');
  throw new InvalidChildSpecError(
    REASONS[field] ?? 'missing_id',
    (input as Record<string, unknown>)[field],
    childId,
  );
}
