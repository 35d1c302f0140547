import { z } from 'zod';
import { validate } from '../core/validation/validate.js';
import { type SimReply, SimReplySchema } from './sim-reply.js';
import type { SimRequest } from './sim-request.js';
import type { SimRule } from './sim-rule.js';
import type { SimulatorLogger } from './simulator-logger.js';

/** Options of {@link createSimulator}. */
export interface SimulatorOptions {
  /**
   * TCP port; the server always binds `127.0.0.1`.
   *
   * @defaultValue `0` (a free port)
   */
  port?: number;
  /**
   * Time to first token of every reply that sets none, in milliseconds.
   *
   * @defaultValue `0`
   */
  ttftMs?: number;
  /**
   * Delay between streamed deltas of every reply that sets none, in milliseconds.
   *
   * @defaultValue `0`
   */
  chunkDelayMs?: number;
  /**
   * Characters per `text_delta` (and per `input_json_delta`).
   *
   * @defaultValue `16`
   */
  chunkSize?: number;
  /**
   * The reply when no queued reply and no rule applies. A `tool_use` default is not used for
   * follow-up requests carrying tool results (that would loop): those get the built-in text.
   *
   * @defaultValue for a `--json-schema` query (the request offers the `StructuredOutput` tool),
   * a `StructuredOutput` call with a value generated from the schema; otherwise text
   * `Simulated reply to: <prompt>`
   */
  defaultReply?: SimReply;
  /** Rules tried in order, before the ones added with {@link Simulator.on}; kept by `reset()`. */
  rules?: readonly SimRule[];
  /** A pino-like logger; silent when absent. */
  logger?: SimulatorLogger;
  /** Called for every recorded request with the reply chosen for it (e.g. to print a log line). */
  onRequest?: (request: SimRequest, reply: SimReply) => void;
}

const isFunction = (value: unknown): boolean => typeof value === 'function';

const MatchSchema = z.custom<SimRule['match']>(
  (value) => typeof value === 'string' || value instanceof RegExp || isFunction(value),
  { message: 'expected a string, a RegExp or a function' },
);

const RuleSchema = z.object({
  match: MatchSchema,
  reply: z.union([SimReplySchema, z.array(SimReplySchema).min(1)]),
  times: z.number().int().positive().optional(),
});

const OptionsSchema = z.object({
  port: z.number().int().min(0).max(65_535).default(0),
  ttftMs: z.number().int().nonnegative().default(0),
  chunkDelayMs: z.number().int().nonnegative().default(0),
  chunkSize: z.number().int().positive().default(16),
  defaultReply: SimReplySchema.optional(),
  rules: z.array(RuleSchema).default([]),
  logger: z
    .custom<SimulatorLogger>(
      (value) =>
        typeof value === 'object' &&
        value !== null &&
        ['debug', 'info', 'warn'].every((name) =>
          isFunction((value as Record<string, unknown>)[name]),
        ),
      { message: 'expected a logger with debug, info and warn methods' },
    )
    .optional(),
  onRequest: z
    .custom<(request: SimRequest, reply: SimReply) => void>(isFunction, {
      message: 'expected a function',
    })
    .optional(),
});

/** Options after validation and defaults. @internal */
export type ResolvedSimulatorOptions = z.output<typeof OptionsSchema>;

/**
 * Validates options once, at the public boundary.
 *
 * @throws {@link InvalidOptionsError} naming the option and the value received.
 * @internal
 */
export function resolveSimulatorOptions(options: SimulatorOptions = {}): ResolvedSimulatorOptions {
  return validate(OptionsSchema, options, { what: 'simulator option' });
}

/**
 * Validates replies given to `enqueue` or `on`.
 *
 * @throws {@link InvalidOptionsError} naming the reply field and the value received.
 * @internal
 */
export function validateReplies(replies: readonly unknown[]): SimReply[] {
  return validate(z.array(SimReplySchema), replies, { what: 'simulator reply' });
}
