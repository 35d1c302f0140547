import { z } from 'zod';
import { PlanSchema } from './plan-schema.js';

/**
 * The JSON Schema of a plan as written (fields with defaults are optional), for asking Claude
 * for a plan as structured output (`jsonSchema` option) or for editors validating plan files.
 *
 * @example
 * ```ts
 * const { result } = runtime.query('Plan the refactoring', { jsonSchema: planJsonSchema() });
 * const plan = parsePlan((await result).structuredOutput);
 * ```
 */
export function planJsonSchema(): Record<string, unknown> {
  return z.toJSONSchema(PlanSchema, { io: 'input' }) as Record<string, unknown>;
}
