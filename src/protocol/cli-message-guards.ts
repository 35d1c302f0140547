import type {
  ApiRetryMessage,
  AssistantMessage,
  CliMessage,
  KnownSystemMessage,
  KnownSystemSubtype,
  ResultMessage,
  StreamEventMessage,
  SystemInitMessage,
  SystemMessage,
} from './cli-message.js';
import type {
  CanUseToolRequest,
  ControlRequestMessage,
  ElicitationRequest,
  HookCallbackRequest,
  McpMessageRequest,
} from './control.js';
import type { ProtocolErrorEvent } from './protocol-event.js';

/** What the guards accept: anything `parseCliLine` returns. */
export type ParsedCliLine = CliMessage | ProtocolErrorEvent | undefined;

// The guards trust the discriminators: `parseCliLine` checked each message against the schema
// of its `type` and `subtype`.

/** Whether `m` is a `result` message: the end of a turn. */
export function isResultMessage(m: ParsedCliLine): m is ResultMessage {
  return m?.type === 'result';
}

/** Whether `m` is a complete `assistant` message. */
export function isAssistantMessage(m: ParsedCliLine): m is AssistantMessage {
  return m?.type === 'assistant';
}

/** Whether `m` is a `stream_event` (a partial message chunk). */
export function isStreamEvent(m: ParsedCliLine): m is StreamEventMessage {
  return m?.type === 'stream_event';
}

/** Whether `m` is any `system` message. */
export function isSystemMessage(m: ParsedCliLine): m is SystemMessage {
  return m?.type === 'system';
}

/** Whether `m` is the `system`/`init` message that opens a turn. */
export function isSystemInit(m: ParsedCliLine): m is SystemInitMessage {
  return m?.type === 'system' && m.subtype === 'init';
}

/** Whether `m` is a `system`/`api_retry` notice. */
export function isApiRetry(m: ParsedCliLine): m is ApiRetryMessage {
  return m?.type === 'system' && m.subtype === 'api_retry';
}

/** Whether `m` is a `control_request` from the CLI, which the host must answer. */
export function isControlRequest(m: ParsedCliLine): m is ControlRequestMessage {
  return m?.type === 'control_request';
}

/** Whether a CLI control request is `can_use_tool`. */
export function isCanUseToolRequest(
  request: ControlRequestMessage['request'],
): request is CanUseToolRequest {
  return request.subtype === 'can_use_tool';
}

/** Whether a CLI control request is `hook_callback`. */
export function isHookCallbackRequest(
  request: ControlRequestMessage['request'],
): request is HookCallbackRequest {
  return request.subtype === 'hook_callback';
}

/** Whether a CLI control request is `elicitation`. */
export function isElicitationRequest(
  request: ControlRequestMessage['request'],
): request is ElicitationRequest {
  return request.subtype === 'elicitation';
}

/** Whether a CLI control request is `mcp_message`. */
export function isMcpMessageRequest(
  request: ControlRequestMessage['request'],
): request is McpMessageRequest {
  return request.subtype === 'mcp_message';
}

/**
 * Whether `m` is a `system` message of `subtype`, typed as that subtype's message: one guard
 * for every known subtype (`task_started`, `hook_response`, `permission_denied`...).
 * @example
 * ```ts
 * if (isSystemSubtype(m, 'task_notification')) log(m.task_id, m.status, m.summary);
 * ```
 */
export function isSystemSubtype<S extends KnownSystemSubtype>(
  m: ParsedCliLine,
  subtype: S,
): m is Extract<KnownSystemMessage, { subtype: S }> {
  return m?.type === 'system' && m.subtype === subtype;
}

/**
 * Whether `m` is a message of `type`, typed as that type's message (`tool_use_summary`,
 * `prompt_suggestion`, `conversation_reset`, `active_goal`, `rate_limit_event`...).
 * @example
 * ```ts
 * if (isCliMessageType(m, 'conversation_reset')) sessionId = m.new_conversation_id;
 * ```
 */
export function isCliMessageType<T extends CliMessage['type']>(
  m: ParsedCliLine,
  type: T,
): m is Extract<CliMessage, { type: T }> {
  return m?.type === type;
}
