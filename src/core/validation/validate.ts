import type { z } from 'zod';
import { InvalidOptionsError } from './invalid-options-error.js';
import { issueMessage } from './issue-message.js';
import { type IssueOptions, issuesOf } from './issues-of.js';

/** Options of {@link validate}. */
export interface ValidateOptions extends IssueOptions {
  /**
   * What the input is, named in the error: `Invalid pool option \`size\`: ...`.
   * @defaultValue 'option'
   */
  readonly what?: string;
}

/**
 * `schema.safeParse(input)` with our messages ({@link issueMessage}, per parse: zod's global
 * config is left alone); pass a failure to `issuesOf`. The input is not kept on the issues
 * (no `reportInput`): an error logged as it is cannot show a secret; `issuesOf` reads values
 * from the input itself and redacts them.
 */
export function safeValidate<S extends z.ZodType>(
  schema: S,
  input: unknown,
): z.ZodSafeParseResult<z.output<S>> {
  return schema.safeParse(input, { error: issueMessage });
}

/**
 * Validates `input` against `schema` and returns the parsed data (defaults filled in): the one
 * way options are validated, at the public boundary.
 *
 * @throws {@link InvalidOptionsError} listing every problem, each with its path, what was
 *   expected and the value received (secrets shown as `[redacted]`, unknown keys with a
 *   did-you-mean).
 * @example
 * ```ts
 * const options = validate(PoolOptionsSchema, input ?? {}, { what: 'pool option' });
 * // Invalid pool option `size`: expected a positive number, got `0` (number)
 * ```
 */
export function validate<S extends z.ZodType>(
  schema: S,
  input: unknown,
  options: ValidateOptions = {},
): z.output<S> {
  const parsed = safeValidate(schema, input);
  if (parsed.success) return parsed.data;
  throw new InvalidOptionsError(issuesOf(parsed.error, input, options), options.what);
}
