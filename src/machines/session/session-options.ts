import { z } from 'zod';
import { MAX_TIMER_MESSAGE, MAX_TIMER_MS } from '../../core/validation/max-timer-ms.js';
import { validate } from '../../core/validation/validate.js';
import { parseQueryOptions } from '../query/options/parse-options.js';
import type { QueryOptions, ResolvedQueryOptions } from '../query/options/query-options.js';

const timerMs = z
  .number()
  .int()
  .positive({ error: 'expected a positive integer' })
  .max(MAX_TIMER_MS, { error: MAX_TIMER_MESSAGE });

/** Options only sessions have (their callbacks are query options too); see {@link SessionOptions}. */
export const SessionOnlyOptionsSchema = z.strictObject({
  /**
   * How long a control request (`initialize`, `interrupt`, `set_model`...) may wait for its
   * answer.
   * @defaultValue 10_000
   */
  controlTimeoutMs: timerMs.default(10_000),
  /**
   * After `close()` closed stdin, how long the CLI may take to exit before it is killed.
   * @defaultValue 10_000
   */
  closeTimeoutMs: timerMs.default(10_000),
});

/** Session options as callers write them: query options plus the session's timeouts. */
export type SessionOptions = QueryOptions & z.input<typeof SessionOnlyOptionsSchema>;

/** Session options after parsing. */
export type ResolvedSessionOptions = ResolvedQueryOptions &
  z.output<typeof SessionOnlyOptionsSchema>;

const SESSION_KEYS = Object.keys(SessionOnlyOptionsSchema.shape);

/**
 * Validates session options and applies defaults: query options as {@link parseQueryOptions}
 * does (the callbacks and in-process MCP servers included: see `ControlOptionsSchema`), and the
 * session's own timeouts.
 *
 * @throws {@link InvalidOptionsError} naming the first invalid option and its value.
 */
export function parseSessionOptions(input: SessionOptions = {}): ResolvedSessionOptions {
  const own: Record<string, unknown> = {};
  const rest: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(input)) {
    (SESSION_KEYS.includes(key) ? own : rest)[key] = value;
  }
  const session = validate(SessionOnlyOptionsSchema, own);
  return { ...parseQueryOptions(rest), ...session };
}
