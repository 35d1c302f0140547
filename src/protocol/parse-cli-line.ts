import type { z } from 'zod';
import { scrubKnownSecrets } from '../core/redaction/secret-registry.js';
import { formatPath } from '../core/validation/format-path.js';
import { safeValidate } from '../core/validation/validate.js';
import {
  AssistantMessageSchema,
  AuthStatusMessageSchema,
  type CliMessage,
  KeepAliveMessageSchema,
  OtherSystemMessageSchema,
  RateLimitEventMessageSchema,
  ResultMessageSchema,
  StreamEventMessageSchema,
  SYSTEM_MESSAGE_SCHEMAS,
  ToolProgressMessageSchema,
  UserMessageSchema,
} from './cli-message.js';
import {
  ActiveGoalMessageSchema,
  ConversationResetMessageSchema,
  PromptSuggestionMessageSchema,
  ToolUseSummaryMessageSchema,
} from './cli-notice-messages.js';
import {
  CanUseToolRequestSchema,
  ControlCancelRequestMessageSchema,
  ControlResponseMessageSchema,
  controlRequestEnvelope,
  ElicitationRequestSchema,
  HookCallbackRequestSchema,
  McpMessageRequestSchema,
  OtherControlRequestSchema,
} from './control.js';
import { type ProtocolErrorEvent, protocolError } from './protocol-event.js';

/** A schema whose output is a CLI message: what it parsed is typed without a cast. */
type CliMessageSchema = z.ZodType<CliMessage>;

// Maps, not object literals: a line with `"type":"constructor"` must not find a prototype member.
const BY_TYPE = new Map<string, CliMessageSchema>([
  ['assistant', AssistantMessageSchema],
  ['user', UserMessageSchema],
  ['stream_event', StreamEventMessageSchema],
  ['result', ResultMessageSchema],
  ['rate_limit_event', RateLimitEventMessageSchema],
  ['keep_alive', KeepAliveMessageSchema],
  ['tool_progress', ToolProgressMessageSchema],
  ['auth_status', AuthStatusMessageSchema],
  ['tool_use_summary', ToolUseSummaryMessageSchema],
  ['prompt_suggestion', PromptSuggestionMessageSchema],
  ['conversation_reset', ConversationResetMessageSchema],
  ['active_goal', ActiveGoalMessageSchema],
  ['control_response', ControlResponseMessageSchema],
  ['control_cancel_request', ControlCancelRequestMessageSchema],
]);

const CONTROL_REQUEST_BY_SUBTYPE = new Map<string, CliMessageSchema>([
  ['can_use_tool', controlRequestEnvelope(CanUseToolRequestSchema)],
  ['hook_callback', controlRequestEnvelope(HookCallbackRequestSchema)],
  ['mcp_message', controlRequestEnvelope(McpMessageRequestSchema)],
  ['elicitation', controlRequestEnvelope(ElicitationRequestSchema)],
]);
const OTHER_CONTROL_REQUEST = controlRequestEnvelope(OtherControlRequestSchema);

const MAX_ISSUES_IN_DETAIL = 3;

/**
 * Parses one line of the CLI's stream-json output. Never throws.
 *
 * - A known message is checked against the schema of its `type` (and `subtype` for `system`
 *   and `control_request`); extra fields are kept.
 * - A line with an unknown `type` (or none) becomes an {@link UnknownCliMessage}: newer CLI
 *   versions add types, and they must not break a stream.
 * - Anything unusable becomes a {@link ProtocolErrorEvent}: `malformed_json`, `not_an_object`,
 *   or `invalid_message` (a known type failing its schema, with a short issue summary).
 *
 * @param input - One line, without its newline. Known secret values (see `registerSecrets`)
 *   are replaced by `[redacted]` before parsing.
 * @returns The message or protocol error; `undefined` for an empty or whitespace-only line,
 *   which carries nothing and is skipped.
 * @example
 * ```ts
 * const m = parseCliLine('{"type":"keep_alive"}'); // { type: 'keep_alive' }
 * ```
 */
export function parseCliLine(input: string): CliMessage | ProtocolErrorEvent | undefined {
  if (input.trim() === '') return undefined;
  // A CLI (or an API) that echoes a secret the library handed it must not pass it on: known
  // secret values are scrubbed from every line before it is parsed.
  const line = scrubKnownSecrets(input);
  let value: unknown;
  try {
    value = JSON.parse(line);
  } catch (error) {
    return protocolError('malformed_json', (error as Error).message, line);
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    const kind = value === null ? 'null' : Array.isArray(value) ? 'an array' : typeof value;
    return protocolError('not_an_object', `expected a JSON object, got ${kind}`, line);
  }
  const raw = value as Record<string, unknown>;
  const type = typeof raw.type === 'string' ? raw.type : undefined;
  const subtype = subtypeOf(raw);
  const schema = type === undefined ? undefined : schemaFor(type, subtype);
  if (schema === undefined) return { type: 'unknown', originalType: type, raw };

  // Our words for what is wrong; the line itself, not the values, goes with the error.
  const parsed = safeValidate(schema, raw);
  if (parsed.success) return parsed.data;
  const kind = subtype === undefined ? type : `${type}/${subtype}`;
  return protocolError(
    'invalid_message',
    `${kind} message does not match its schema: ${summarizeIssues(parsed.error.issues)}`,
    line,
  );
}

function subtypeOf(raw: Record<string, unknown>): string | undefined {
  if (raw.type === 'system') return typeof raw.subtype === 'string' ? raw.subtype : undefined;
  if (raw.type === 'control_request') {
    const request = raw.request as { subtype?: unknown } | null | undefined;
    return typeof request?.subtype === 'string' ? request.subtype : undefined;
  }
  return undefined;
}

function schemaFor(type: string, subtype: string | undefined): CliMessageSchema | undefined {
  if (type === 'system') {
    return (subtype && SYSTEM_MESSAGE_SCHEMAS.get(subtype)) || OtherSystemMessageSchema;
  }
  if (type === 'control_request') {
    return (subtype && CONTROL_REQUEST_BY_SUBTYPE.get(subtype)) || OTHER_CONTROL_REQUEST;
  }
  return BY_TYPE.get(type);
}

function summarizeIssues(issues: readonly z.core.$ZodIssue[]): string {
  const shown = issues
    .slice(0, MAX_ISSUES_IN_DETAIL)
    .map((issue) => `${formatPath(issue.path) || '(root)'}: ${issue.message}`);
  const more = issues.length - shown.length;
  return shown.join('; ') + (more > 0 ? ` (and ${more} more)` : '');
}
