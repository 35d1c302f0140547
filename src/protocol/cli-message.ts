import { z } from 'zod';
import type { CliNoticeMessage } from './cli-notice-messages.js';
import { SYSTEM_EVENT_SCHEMAS, type SystemEventMessage } from './cli-system-events.js';
import { ContentBlockSchema } from './content-block.js';
import type {
  ControlCancelRequestMessage,
  ControlRequestMessage,
  ControlResponseMessage,
} from './control.js';

// Every schema is a loose object: fields the CLI adds in later versions are kept, and only what
// consumers of this library rely on is required.

const sessionId = z.string().optional();
const parentToolUseId = z.string().nullable().optional();
const uuid = z.string().optional();

/** `system`/`init`: the first message of each turn; names the session, model and tools. */
export const SystemInitMessageSchema = z.looseObject({
  type: z.literal('system'),
  subtype: z.literal('init'),
  session_id: z.string(),
  model: z.string().optional(),
  cwd: z.string().optional(),
  tools: z.array(z.string()).optional(),
  mcp_servers: z
    .array(z.looseObject({ name: z.string(), status: z.string().optional() }))
    .optional(),
  permissionMode: z.string().optional(),
  slash_commands: z.array(z.string()).optional(),
  agents: z.array(z.string()).optional(),
  apiKeySource: z.string().optional(),
  claude_code_version: z.string().optional(),
  uuid,
});

/** `system`/`init`: the first message of each turn; names the session, model and tools. */
export type SystemInitMessage = z.infer<typeof SystemInitMessageSchema>;

/**
 * `system`/`api_retry`: the CLI failed an API request and will retry it itself after
 * `retry_delay_ms`. `error` is the CLI's tag (`rate_limit`, `authentication_failed`,
 * `server_error`...), `error_status` the HTTP status (`null` for a connection failure).
 */
export const ApiRetryMessageSchema = z.looseObject({
  type: z.literal('system'),
  subtype: z.literal('api_retry'),
  attempt: z.number(),
  max_retries: z.number().optional(),
  retry_delay_ms: z.number(),
  error_status: z.number().nullable().optional(),
  error: z.string().optional(),
  session_id: sessionId,
  uuid,
});

/** `system`/`api_retry`: the CLI will retry a failed API request itself. */
export type ApiRetryMessage = z.infer<typeof ApiRetryMessageSchema>;

/** `system`/`status`: what the CLI is doing (`requesting`, `compacting`...), or `null`. */
export const SystemStatusMessageSchema = z.looseObject({
  type: z.literal('system'),
  subtype: z.literal('status'),
  status: z.string().nullable().optional(),
  session_id: sessionId,
  uuid,
});

/** `system`/`status`: what the CLI is doing. */
export type SystemStatusMessage = z.infer<typeof SystemStatusMessageSchema>;

/** `system`/`compact_boundary`: the conversation was compacted here. */
export const CompactBoundaryMessageSchema = z.looseObject({
  type: z.literal('system'),
  subtype: z.literal('compact_boundary'),
  compact_metadata: z
    .looseObject({ trigger: z.string().optional(), pre_tokens: z.number().optional() })
    .optional(),
  session_id: sessionId,
  uuid,
});

/** `system`/`compact_boundary`: the conversation was compacted here. */
export type CompactBoundaryMessage = z.infer<typeof CompactBoundaryMessageSchema>;

/**
 * A `system` message of a subtype this library knows (init, api_retry, status,
 * compact_boundary and the events of `cli-system-events`: task_*, hook_*, permission_denied,
 * notification...): narrow it with `switch (m.subtype)` or {@link isSystemSubtype}.
 */
export type KnownSystemMessage =
  | SystemInitMessage
  | ApiRetryMessage
  | SystemStatusMessage
  | CompactBoundaryMessage
  | SystemEventMessage;

/** The `subtype` of each {@link KnownSystemMessage}. */
export type KnownSystemSubtype = KnownSystemMessage['subtype'];

/**
 * The schema of each known `system` subtype: the one table `parseCliLine` checks lines
 * against and {@link isKnownSystemMessage} reads.
 * @internal
 */
export const SYSTEM_MESSAGE_SCHEMAS: ReadonlyMap<string, z.ZodType<KnownSystemMessage>> = new Map<
  KnownSystemSubtype,
  z.ZodType<KnownSystemMessage>
>([
  ['init', SystemInitMessageSchema],
  ['api_retry', ApiRetryMessageSchema],
  ['status', SystemStatusMessageSchema],
  ['compact_boundary', CompactBoundaryMessageSchema],
  ...(Object.entries(SYSTEM_EVENT_SCHEMAS) as [
    KnownSystemSubtype,
    z.ZodType<KnownSystemMessage>,
  ][]),
]);

/**
 * Any other `system` subtype (`hook_*`, `task_*`, `notification`...), passed through as is.
 * Its `subtype` is never a known one: a known subtype failing its own schema is a protocol
 * error instead.
 */
export const OtherSystemMessageSchema = z.looseObject({
  type: z.literal('system'),
  subtype: z.string().refine((subtype) => !SYSTEM_MESSAGE_SCHEMAS.has(subtype), {
    message: 'a known system subtype must match its own schema',
  }),
  session_id: sessionId,
  uuid,
});

/** Any other `system` subtype, passed through as is. */
export type OtherSystemMessage = z.infer<typeof OtherSystemMessageSchema>;

/**
 * Every `system` message. TypeScript cannot tell `"init"` apart from the `string` subtype of
 * other messages, so narrow with {@link isKnownSystemMessage} (then `switch (m.subtype)`) or
 * the guards ({@link isSystemInit}, {@link isApiRetry}).
 */
export type SystemMessage = KnownSystemMessage | OtherSystemMessage;

/**
 * Whether a parsed `system` message is of a subtype this library knows. Trusted: the parse
 * checked it against the schema of its subtype.
 */
export function isKnownSystemMessage(m: SystemMessage): m is KnownSystemMessage {
  return SYSTEM_MESSAGE_SCHEMAS.has(m.subtype);
}

/** The `message` of an assistant or user message: a Messages API message. */
const ApiMessageSchema = z.looseObject({
  id: z.string().optional(),
  role: z.string().optional(),
  model: z.string().optional(),
  content: z.union([z.string(), z.array(ContentBlockSchema)]),
  // Details, lenient: a malformed one reads as absent rather than losing the message.
  stop_reason: z.string().nullable().optional().catch(undefined),
  usage: z.looseObject({}).nullable().optional().catch(undefined),
});

/**
 * `assistant`: one complete assistant message. `error` is set on a synthetic message the CLI
 * writes for an API failure (`rate_limit`, `authentication_failed`, `server_error`...).
 */
export const AssistantMessageSchema = z.looseObject({
  type: z.literal('assistant'),
  message: ApiMessageSchema,
  parent_tool_use_id: parentToolUseId,
  session_id: sessionId,
  uuid,
  error: z.string().optional(),
});

/** `assistant`: one complete assistant message. */
export type AssistantMessage = z.infer<typeof AssistantMessageSchema>;

/** `user`: tool results (or replayed user input) on their way back to the model. */
export const UserMessageSchema = z.looseObject({
  type: z.literal('user'),
  message: ApiMessageSchema,
  parent_tool_use_id: parentToolUseId,
  session_id: sessionId,
  uuid,
  tool_use_result: z.unknown().optional(),
});

/** `user`: tool results (or replayed user input) on their way back to the model. */
export type UserMessage = z.infer<typeof UserMessageSchema>;

/** `stream_event`: one raw Messages API SSE event (only with `includePartialMessages`). */
export const StreamEventMessageSchema = z.looseObject({
  type: z.literal('stream_event'),
  event: z.looseObject({ type: z.string() }),
  parent_tool_use_id: parentToolUseId,
  session_id: sessionId,
  uuid,
});

/** `stream_event`: one raw Messages API SSE event. */
export type StreamEventMessage = z.infer<typeof StreamEventMessageSchema>;

/** A figure of a result (cost, turns, duration): finite and not negative, else absent. */
const amount = z.number().finite().nonnegative().optional().catch(undefined);

/** A token count of a result's usage: a non-negative integer, else absent. */
const tokenCount = z.number().int().nonnegative().optional().catch(undefined);

/** Result subtypes seen so far; others may come. */
export type KnownResultSubtype =
  | 'success'
  | 'error_during_execution'
  | 'error_max_turns'
  | 'error_max_budget_usd'
  | 'error_max_structured_output_retries';

/**
 * `result`: the end of a turn. Check `is_error`, not only `subtype`: an API failure after the
 * CLI's own retries is `subtype: "success"` with `is_error: true` and
 * `terminal_reason: "api_error"`.
 */
export const ResultMessageSchema = z.looseObject({
  type: z.literal('result'),
  subtype: z.string(),
  is_error: z.boolean(),
  result: z.string().optional(),
  session_id: sessionId,
  // The figures and details below are lenient: a malformed one (a cost of "abc" or -5, a
  // usage of []) reads as absent, so the answer of the turn is not lost with it, and a
  // negative or infinite figure cannot credit a budget.
  total_cost_usd: amount,
  usage: z
    .looseObject({
      input_tokens: tokenCount,
      output_tokens: tokenCount,
      cache_read_input_tokens: tokenCount,
      cache_creation_input_tokens: tokenCount,
    })
    .optional()
    .catch(undefined),
  modelUsage: z.record(z.string(), z.unknown()).optional().catch(undefined),
  num_turns: amount,
  duration_ms: amount,
  duration_api_ms: amount,
  stop_reason: z.string().nullable().optional().catch(undefined),
  terminal_reason: z.string().nullable().optional().catch(undefined),
  permission_denials: z.array(z.unknown()).optional().catch(undefined),
  api_error_status: z.number().nullable().optional().catch(undefined),
  api_error_type: z.string().nullable().optional().catch(undefined),
  errors: z.array(z.string()).optional().catch(undefined),
  /** Why the CLI could not start the session (`cwd_unavailable`, `proxy_invalid`...). */
  startup_failure_reason: z.string().optional().catch(undefined),
  structured_output: z.unknown().optional(),
  uuid,
});

/** `result`: the end of a turn. */
export type ResultMessage = z.infer<typeof ResultMessageSchema>;

/** `rate_limit_event`: the account's rate-limit state changed. */
export const RateLimitEventMessageSchema = z.looseObject({
  type: z.literal('rate_limit_event'),
  rate_limit_info: z.looseObject({
    status: z.string(),
    resetsAt: z.number().nullable().optional(),
    rateLimitType: z.string().nullable().optional(),
    utilization: z.number().optional(),
  }),
  session_id: sessionId,
  uuid,
});

/** `rate_limit_event`: the account's rate-limit state changed. */
export type RateLimitEventMessage = z.infer<typeof RateLimitEventMessageSchema>;

/** `keep_alive`: the CLI is alive; carries nothing. */
export const KeepAliveMessageSchema = z.looseObject({ type: z.literal('keep_alive') });

/** `keep_alive`: the CLI is alive; carries nothing. */
export type KeepAliveMessage = z.infer<typeof KeepAliveMessageSchema>;

/** `tool_progress`: a long-running tool is still running. */
export const ToolProgressMessageSchema = z.looseObject({
  type: z.literal('tool_progress'),
  tool_use_id: z.string(),
  tool_name: z.string().optional(),
  parent_tool_use_id: parentToolUseId,
  elapsed_time_seconds: z.number().optional(),
  session_id: sessionId,
  uuid,
});

/** `tool_progress`: a long-running tool is still running. */
export type ToolProgressMessage = z.infer<typeof ToolProgressMessageSchema>;

/** `auth_status`: progress of an authentication flow. */
export const AuthStatusMessageSchema = z.looseObject({
  type: z.literal('auth_status'),
  isAuthenticating: z.boolean().optional(),
  output: z.array(z.string()).optional(),
  error: z.string().optional(),
  session_id: sessionId,
  uuid,
});

/** `auth_status`: progress of an authentication flow. */
export type AuthStatusMessage = z.infer<typeof AuthStatusMessageSchema>;

/** A line of a `type` this library does not know (yet): passed through, never dropped. */
export interface UnknownCliMessage {
  readonly type: 'unknown';
  /** The line's `type` field, when it was a string. */
  readonly originalType: string | undefined;
  readonly raw: Record<string, unknown>;
}

/** Everything the CLI writes on stdout, as parsed by `parseCliLine`; discriminated on `type`. */
export type CliMessage =
  | SystemMessage
  | AssistantMessage
  | UserMessage
  | StreamEventMessage
  | ResultMessage
  | RateLimitEventMessage
  | KeepAliveMessage
  | ToolProgressMessage
  | AuthStatusMessage
  | CliNoticeMessage
  | ControlRequestMessage
  | ControlResponseMessage
  | ControlCancelRequestMessage
  | UnknownCliMessage;
