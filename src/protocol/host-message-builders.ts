import type { ContentBlock } from './content-block.js';
import type { ControlResponseMessage, HostControlRequest } from './control.js';
import type { OtherHostControlRequest } from './host-control-requests.js';
import type { HostControlRequestMessage, HostUserMessage } from './host-message.js';

/** Options of {@link userMessage}. */
export interface UserMessageOptions {
  /**
   * Session the turn belongs to; the CLI uses its own when empty.
   * @defaultValue `''`
   */
  readonly sessionId?: string;
  /**
   * The tool call this message answers, for subagent traffic.
   * @defaultValue `null`
   */
  readonly parentToolUseId?: string | null;
}

/**
 * Builds the stdin line object that starts a user turn, exactly as the CLI expects it.
 *
 * @example
 * ```ts
 * userMessage('hi');
 * // { type: 'user', message: { role: 'user', content: 'hi' },
 * //   parent_tool_use_id: null, session_id: '' }
 * ```
 */
export function userMessage(
  content: string | readonly ContentBlock[],
  opts: UserMessageOptions = {},
): HostUserMessage {
  return {
    type: 'user',
    message: { role: 'user', content: typeof content === 'string' ? content : [...content] },
    parent_tool_use_id: opts.parentToolUseId ?? null,
    session_id: opts.sessionId ?? '',
  };
}

/**
 * Builds a `control_request` from the host; the CLI answers with a `control_response` carrying
 * the same `requestId`.
 *
 * @example
 * ```ts
 * controlRequest('req_1', { subtype: 'interrupt' });
 * ```
 */
export function controlRequest(
  requestId: string,
  request: HostControlRequest | OtherHostControlRequest,
): HostControlRequestMessage {
  return { type: 'control_request', request_id: requestId, request };
}

/**
 * Builds a successful `control_response` to a request from the CLI, e.g. a `can_use_tool`
 * answer `{ behavior: 'allow', updatedInput }`.
 */
export function controlSuccess(
  requestId: string,
  response: Record<string, unknown> = {},
): ControlResponseMessage {
  return {
    type: 'control_response',
    response: { subtype: 'success', request_id: requestId, response },
  };
}

/** Builds an error `control_response` to a request from the CLI. */
export function controlError(requestId: string, error: string): ControlResponseMessage {
  return { type: 'control_response', response: { subtype: 'error', request_id: requestId, error } };
}
