import { z } from 'zod';
import { validate } from '../../core/validation/validate.js';
import { InstantSchema } from './instant-schema.js';

/** Options of `SessionStore.cleanup`. */
export const SessionCleanupOptionsSchema = z.strictObject({
  /** Remove the sessions last written before this (ms since the epoch, or a `Date`). */
  olderThan: InstantSchema,
});

/**
 * Validates the options of `SessionStore.cleanup`; returns the cut-off in ms.
 *
 * @throws {@link InvalidOptionsError} naming `olderThan` and the value.
 */
export function parseOlderThan(input: { readonly olderThan: number | Date }): number {
  return validate(SessionCleanupOptionsSchema, input, { what: 'session cleanup option' }).olderThan;
}
