import type { z } from 'zod';
import type { ErrorContext } from '../../../core/errors/claude-actors-error.js';
import { StructuredOutputError } from '../errors/structured-output-error.js';

/**
 * Validates a result's structured output against a zod schema. The CLI puts it in
 * `structured_output`; when that is missing, the result text is tried as JSON.
 *
 * @returns the parsed value, or a {@link StructuredOutputError} carrying the raw output
 */
export function validateStructuredOutput<S extends z.ZodType>(
  schema: S,
  result: { structured_output?: unknown; result?: unknown },
  context: ErrorContext = {},
): { ok: true; value: z.output<S> } | { ok: false; error: StructuredOutputError } {
  let raw = result.structured_output;
  if (raw === undefined && typeof result.result === 'string') {
    try {
      raw = JSON.parse(result.result);
    } catch {
      raw = result.result;
    }
  }
  const parsed = schema.safeParse(raw);
  if (parsed.success) return { ok: true, value: parsed.data };
  const issues = parsed.error.issues.map((issue) => ({
    path: issue.path.map(String).join('.'),
    message: issue.message,
  }));
  return { ok: false, error: new StructuredOutputError(raw, issues, context) };
}
