import { z } from 'zod';
import { timerMsSchema } from '../core/validation/timer-ms-schema.js';
import { validate } from '../core/validation/validate.js';

/** The options of `runtime.stop()`, checked before anything is stopped. */
const RuntimeStopOptionsSchema = z.strictObject({
  /** How long running queries and sessions may take to finish, ms. */
  deadlineMs: timerMsSchema(0).optional(),
});

/**
 * @internal Validates the options of `runtime.stop()` (`undefined` is none).
 * @throws `InvalidOptionsError` naming the field and the value, e.g. a `deadlineMs` of `"soon"`
 *   or `1e12` (past the longest timer Node honours, which would fire at once).
 */
export function parseRuntimeStopOptions(input: unknown): { deadlineMs?: number | undefined } {
  return validate(RuntimeStopOptionsSchema, input ?? {}, { what: 'runtime stop option' });
}
