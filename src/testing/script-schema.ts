import { z } from 'zod';
import { validate } from '../core/validation/validate.js';
import { SimMatchJsonSchema } from './sim-match-json.js';
import { type SimReply, SimReplySchema } from './sim-reply.js';
import type { SimRule } from './sim-rule.js';

/**
 * Schema of one rule in a script file, transformed into a {@link SimRule}.
 *
 * @example
 * { "match": { "contains": "weather" }, "reply": { "kind": "text", "text": "Sunny." }, "times": 2 }
 */
export const SimRuleSchema = z
  .strictObject({
    match: SimMatchJsonSchema,
    reply: z.union([SimReplySchema, z.array(SimReplySchema).min(1)]),
    times: z.number().int().positive().optional(),
  })
  .transform(
    (rule): SimRule => ({
      match: rule.match,
      reply: rule.reply,
      ...(rule.times === undefined ? {} : { times: rule.times }),
    }),
  );

/** Defaults a script may set; command-line flags override them. */
export const SimScriptDefaultsSchema = z.strictObject({
  ttftMs: z.number().int().nonnegative().optional(),
  chunkDelayMs: z.number().int().nonnegative().optional(),
  chunkSize: z.number().int().positive().optional(),
  defaultReply: SimReplySchema.optional(),
});

/**
 * Schema of a simulator script file.
 *
 * @example
 * {
 *   "defaults": { "ttftMs": 200, "chunkDelayMs": 20 },
 *   "rules": [
 *     { "match": { "regex": "^read", "flags": "i" },
 *       "reply": { "kind": "tool_use", "name": "Read", "input": { "file_path": "/tmp/x" } } },
 *     { "match": { "any": true, "toolResult": true }, "reply": { "kind": "text", "text": "Done." } },
 *     { "match": { "contains": "busy" }, "reply": { "kind": "error", "status": 529 } }
 *   ]
 * }
 */
export const SimulatorScriptSchema = z.strictObject({
  description: z.string().optional(),
  defaults: SimScriptDefaultsSchema.optional(),
  rules: z.array(SimRuleSchema).optional(),
});

/** A validated script: rules in order and the defaults it sets. */
export interface SimulatorScript {
  readonly rules: SimRule[];
  readonly defaults: {
    ttftMs?: number;
    chunkDelayMs?: number;
    chunkSize?: number;
    defaultReply?: SimReply;
  };
}

/**
 * Validates the parsed JSON of a script file.
 *
 * @throws {@link InvalidOptionsError} naming the first bad field and its value, e.g.
 * ``Invalid simulator script field `rules[0].reply.kind`: expected one of "text", "tool_use",
 * "error", "cut", "hang", got `"txt"` (string)``.
 * @example
 * const script = loadSimulatorScript(JSON.parse(await readFile('sim.json', 'utf8')));
 * const sim = await createSimulator({ ...script.defaults, rules: script.rules });
 */
export function loadSimulatorScript(json: unknown): SimulatorScript {
  const { defaults = {}, rules = [] } = validate(SimulatorScriptSchema, json, {
    what: 'simulator script field',
  });
  return {
    rules,
    defaults: Object.fromEntries(
      Object.entries(defaults).filter(([, value]) => value !== undefined),
    ) as SimulatorScript['defaults'],
  };
}
