import { z } from 'zod';
import { validate } from '../../core/validation/validate.js';
import { InstantSchema } from './instant-schema.js';

const cost = z.number().nonnegative();

/** What `SessionStore.list` looks for; every field narrows the result. */
export const SessionFilterSchema = z.strictObject({
  /** Only sessions with this tag. */
  tag: z.string().min(1).optional(),
  kind: z.enum(['query', 'session']).optional(),
  status: z.enum(['running', 'succeeded', 'failed', 'cancelled', 'closed']).optional(),
  /** Created at or after (ms since the epoch, or a `Date`). */
  since: InstantSchema.optional(),
  /** Created before (ms since the epoch, or a `Date`). */
  until: InstantSchema.optional(),
  /** Cost at least, USD. */
  minCostUsd: cost.optional(),
  /** Cost at most, USD. */
  maxCostUsd: cost.optional(),
  /** Text the first prompt contains, ignoring case. */
  search: z.string().min(1).optional(),
  /** @defaultValue 'createdAt' */
  orderBy: z.enum(['createdAt', 'updatedAt', 'costUsd']).default('createdAt'),
  /** @defaultValue 'desc' (newest or most expensive first) */
  order: z.enum(['asc', 'desc']).default('desc'),
  /** @defaultValue 100 */
  limit: z.number().int().positive().max(10_000).default(100),
  /** @defaultValue 0 */
  offset: z.number().int().nonnegative().default(0),
});

/** What `SessionStore.list` looks for, as callers write it. */
export type SessionFilter = z.input<typeof SessionFilterSchema>;
/** A {@link SessionFilter} with its defaults, dates as ms. */
export type ResolvedSessionFilter = z.output<typeof SessionFilterSchema>;

/**
 * Validates a filter, filling in the order and page defaults.
 *
 * @throws {@link InvalidOptionsError} naming the field and the value (a negative cost, an
 *   invalid date, an unknown field).
 */
export function parseSessionFilter(input: SessionFilter | undefined): ResolvedSessionFilter {
  return validate(SessionFilterSchema, input ?? {}, { what: 'session filter' });
}
