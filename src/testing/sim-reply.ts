import { z } from 'zod';

const delayMs = z.number().int().nonnegative();

/** Token counts reported in a reply's `usage`; estimated from the text when absent. */
export const SimUsageSchema = z.strictObject({
  inputTokens: z.number().int().nonnegative().optional(),
  outputTokens: z.number().int().nonnegative().optional(),
});

/** A streamed (or, for non-stream requests, JSON) assistant text message. */
export const SimTextReplySchema = z.strictObject({
  kind: z.literal('text'),
  text: z.string(),
  ttftMs: delayMs.optional(),
  chunkDelayMs: delayMs.optional(),
  chunkSize: z.number().int().positive().optional(),
  usage: SimUsageSchema.optional(),
});

/** An assistant message that calls one tool (optionally preceded by some text). */
export const SimToolUseReplySchema = z.strictObject({
  kind: z.literal('tool_use'),
  name: z.string().min(1),
  input: z.record(z.string(), z.unknown()),
  id: z.string().min(1).optional(),
  text: z.string().optional(),
  ttftMs: delayMs.optional(),
  chunkDelayMs: delayMs.optional(),
  chunkSize: z.number().int().positive().optional(),
  usage: SimUsageSchema.optional(),
});

/** An HTTP error answer in the Anthropic error format. */
export const SimErrorReplySchema = z.strictObject({
  kind: z.literal('error'),
  status: z.number().int().min(400).max(599),
  errorType: z.string().min(1).optional(),
  message: z.string().optional(),
  retryAfterSec: z.number().nonnegative().optional(),
  ttftMs: delayMs.optional(),
});

/** Start streaming, then destroy the socket mid-stream (a dropped connection). */
export const SimCutReplySchema = z.strictObject({
  kind: z.literal('cut'),
  afterChunks: z.number().int().nonnegative().optional(),
  text: z.string().optional(),
  ttftMs: delayMs.optional(),
  chunkDelayMs: delayMs.optional(),
});

/** Never answer (or send only the SSE headers) until the simulator closes. */
export const SimHangReplySchema = z.strictObject({
  kind: z.literal('hang'),
  afterHeaders: z.boolean().optional(),
});

/**
 * Schema of one scripted reply, discriminated by `kind`. Strict: unknown fields are rejected so
 * that a typo in a script file is reported instead of silently ignored.
 */
export const SimReplySchema = z.discriminatedUnion('kind', [
  SimTextReplySchema,
  SimToolUseReplySchema,
  SimErrorReplySchema,
  SimCutReplySchema,
  SimHangReplySchema,
]);

/** Token counts of a reply. */
export type SimUsage = z.infer<typeof SimUsageSchema>;
/** A text reply; see {@link SimTextReplySchema}. */
export type SimTextReply = z.infer<typeof SimTextReplySchema>;
/** A tool call reply; see {@link SimToolUseReplySchema}. */
export type SimToolUseReply = z.infer<typeof SimToolUseReplySchema>;
/** An HTTP error reply; see {@link SimErrorReplySchema}. */
export type SimErrorReply = z.infer<typeof SimErrorReplySchema>;
/** A reply cut off mid-stream; see {@link SimCutReplySchema}. */
export type SimCutReply = z.infer<typeof SimCutReplySchema>;
/** A reply that never comes; see {@link SimHangReplySchema}. */
export type SimHangReply = z.infer<typeof SimHangReplySchema>;

/**
 * What the simulator answers to one `POST /v1/messages`.
 *
 * - `text`: a normal assistant message (`stop_reason: end_turn`).
 * - `tool_use`: a tool call (`stop_reason: tool_use`); the CLI runs the tool and sends the
 *   `tool_result` in its next request.
 * - `error`: an HTTP error; `errorType` defaults by status (see {@link defaultErrorType}).
 * - `cut`: `message_start`, a text block and `afterChunks` deltas (default 1), then the socket is
 *   destroyed.
 * - `hang`: nothing at all (or, with `afterHeaders`, a 200 with SSE headers and no event) until
 *   {@link Simulator.close}.
 */
export type SimReply = z.infer<typeof SimReplySchema>;

/**
 * The Anthropic error type the real API uses for an HTTP status.
 *
 * @example
 * defaultErrorType(529); // 'overloaded_error'
 */
export function defaultErrorType(status: number): string {
  switch (status) {
    case 400:
      return 'invalid_request_error';
    case 401:
      return 'authentication_error';
    case 402:
      return 'billing_error';
    case 403:
      return 'permission_error';
    case 404:
      return 'not_found_error';
    case 413:
      return 'request_too_large';
    case 429:
      return 'rate_limit_error';
    case 529:
      return 'overloaded_error';
    default:
      return status >= 500 ? 'api_error' : 'invalid_request_error';
  }
}
