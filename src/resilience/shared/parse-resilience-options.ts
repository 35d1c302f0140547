import type { z } from 'zod';
import { validate } from '../../core/validation/validate.js';

/**
 * Validates the options of a resilience actor once, at its factory, and fills in defaults.
 *
 * @param schema - The options schema, beside its owner.
 * @param input - Options as the caller wrote them; `undefined` means all defaults.
 * @param subject - Named in the error message, e.g. `rate limiter option`.
 * @throws {@link InvalidOptionsError} naming every bad option path and the value received.
 * @internal
 */
export function parseResilienceOptions<S extends z.ZodType>(
  schema: S,
  input: unknown,
  subject: string,
): z.output<S> {
  // Nothing here is a secret; `totalTokens` only looks like one to the default pattern.
  return validate(schema, input === undefined ? {} : input, {
    what: subject,
    secrets: () => false,
  });
}
