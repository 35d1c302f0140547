import { z } from 'zod';

// Host → CLI control requests beyond initialize/interrupt/set_model/set_permission_mode/
// mcp_status (CLI 2.1.33x; the field names follow the Agent SDK's `SDKControl*Request` types).
// The CLI answers each with a `control_response` whose `response` object is the result.

/** `get_context_usage`: how the context window is used (answer: categories, totals). */
export const GetContextUsageRequestSchema = z.looseObject({
  subtype: z.literal('get_context_usage'),
  detail: z.enum(['summary', 'full']).optional(),
});

/** The `GetContextUsageRequest` request. */
export type GetContextUsageRequest = z.infer<typeof GetContextUsageRequestSchema>;

/** `set_max_thinking_tokens`: the thinking budget for the next requests (`null`: default). */
export const SetMaxThinkingTokensRequestSchema = z.looseObject({
  subtype: z.literal('set_max_thinking_tokens'),
  max_thinking_tokens: z.number().int().nonnegative().nullable(),
});

/** The `SetMaxThinkingTokensRequest` request. */
export type SetMaxThinkingTokensRequest = z.infer<typeof SetMaxThinkingTokensRequestSchema>;

/** `stop_task`: stop a background task (a subagent, a background Bash) by its task id. */
export const StopTaskRequestSchema = z.looseObject({
  subtype: z.literal('stop_task'),
  task_id: z.string().min(1),
});

/** The `StopTaskRequest` request. */
export type StopTaskRequest = z.infer<typeof StopTaskRequestSchema>;

/** `rewind_files`: restore the files as they were at a user message (file checkpointing). */
export const RewindFilesRequestSchema = z.looseObject({
  subtype: z.literal('rewind_files'),
  user_message_id: z.string().min(1),
  dry_run: z.boolean().optional(),
});

/** The `RewindFilesRequest` request. */
export type RewindFilesRequest = z.infer<typeof RewindFilesRequestSchema>;

/** `mcp_reconnect`: reconnect one MCP server. */
export const McpReconnectRequestSchema = z.looseObject({
  subtype: z.literal('mcp_reconnect'),
  serverName: z.string().min(1),
});

/** The `McpReconnectRequest` request. */
export type McpReconnectRequest = z.infer<typeof McpReconnectRequestSchema>;

/** `mcp_toggle`: enable or disable one MCP server. */
export const McpToggleRequestSchema = z.looseObject({
  subtype: z.literal('mcp_toggle'),
  serverName: z.string().min(1),
  enabled: z.boolean(),
});

/** The `McpToggleRequest` request. */
export type McpToggleRequest = z.infer<typeof McpToggleRequestSchema>;

/** `mcp_set_servers`: replace the session's MCP servers (name → server config). */
export const McpSetServersRequestSchema = z.looseObject({
  subtype: z.literal('mcp_set_servers'),
  servers: z.record(z.string(), z.looseObject({})),
});

/** The `McpSetServersRequest` request. */
export type McpSetServersRequest = z.infer<typeof McpSetServersRequestSchema>;

/** `rename_session`: give the session a title. */
export const RenameSessionRequestSchema = z.looseObject({
  subtype: z.literal('rename_session'),
  title: z.string().min(1),
});

/** The `RenameSessionRequest` request. */
export type RenameSessionRequest = z.infer<typeof RenameSessionRequestSchema>;

/** `get_settings`: the settings in effect (merged from every source). */
export const GetSettingsRequestSchema = z.looseObject({ subtype: z.literal('get_settings') });

/** The `GetSettingsRequest` request. */
export type GetSettingsRequest = z.infer<typeof GetSettingsRequestSchema>;

/** The requests above, for `HostControlRequestSchema`. @internal */
export const MORE_HOST_CONTROL_REQUESTS = [
  GetContextUsageRequestSchema,
  SetMaxThinkingTokensRequestSchema,
  StopTaskRequestSchema,
  RewindFilesRequestSchema,
  McpReconnectRequestSchema,
  McpToggleRequestSchema,
  McpSetServersRequestSchema,
  RenameSessionRequestSchema,
  GetSettingsRequestSchema,
] as const;

/**
 * A request of a subtype this library has no schema for (the CLI has about 36; newer ones
 * come): sent as given. The CLI answers one it does not know with an error
 * (`unsupported_request`).
 */
export interface OtherHostControlRequest {
  readonly subtype: string;
  readonly [field: string]: unknown;
}
