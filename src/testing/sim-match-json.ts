import { z } from 'zod';
import type { SimRequest } from './sim-request.js';
import type { SimMatch } from './sim-rule.js';

const toolResult = z.boolean().optional();

const ContainsSchema = z.strictObject({ contains: z.string(), toolResult });
const RegexSchema = z.strictObject({
  regex: z.string().refine(
    (source) => {
      try {
        new RegExp(source);
        return true;
      } catch {
        return false;
      }
    },
    { message: 'not a valid regular expression' },
  ),
  flags: z
    .string()
    .regex(/^[dgimsuvy]*$/, { message: 'expected RegExp flags among d, g, i, m, s, u, v, y' })
    .optional(),
  toolResult,
});
const AnySchema = z.strictObject({ any: z.literal(true), toolResult });

/**
 * The JSON form of a {@link SimMatch}: `{ "contains": "..." }`, `{ "regex": "...", "flags": "i" }`
 * or `{ "any": true }`. Each matches requests that start a turn; with `"toolResult": true` it
 * matches only the follow-up requests that carry a `tool_result` instead.
 */
export const SimMatchJsonSchema = z
  .union([ContainsSchema, RegexSchema, AnySchema], {
    error: 'expected {"contains": "..."}, {"regex": "...", "flags": "..."} or {"any": true}',
  })
  .transform((json): SimMatch => {
    const test: (prompt: string) => boolean =
      'contains' in json
        ? (prompt) => prompt.includes(json.contains)
        : 'regex' in json
          ? (prompt) => new RegExp(json.regex, (json.flags ?? '').replace(/[gy]/g, '')).test(prompt)
          : () => true;
    if (json.toolResult === true) {
      return (request: SimRequest) => request.hasToolResult && test(request.prompt);
    }
    if ('contains' in json) return json.contains;
    if ('regex' in json) return new RegExp(json.regex, json.flags);
    return (request: SimRequest) => !request.hasToolResult;
  });

/** The JSON form of a match, as written in a script file. */
export type SimMatchJson = z.input<typeof SimMatchJsonSchema>;
