import { ClaudeActorsError, type ErrorContext } from '../../../core/errors/claude-actors-error.js';
import type { ControlErrorCode } from './control-error-code.js';

/**
 * A `canUseTool`, hook, elicitation, user-dialog or in-process MCP callback threw or did not
 * answer in time; the CLI got the safe default instead (deny for permissions and PreToolUse
 * hooks, a tool error for MCP tools). Reported on `session.lifecycle$` (a session) or as a
 * `query.callback_failed` event (a query), never thrown at the caller.
 */
export class CallbackFailedError extends ClaudeActorsError {
  readonly code = 'CALLBACK_FAILED' satisfies ControlErrorCode;
  /** `can_use_tool`, `hook_callback`, `elicitation`, `request_user_dialog` or `mcp_message`. */
  readonly subtype: string;
  /** The tool name (`can_use_tool`) or callback id (`hook_callback`). */
  readonly target: string;
  /** `true` when it hung past `callbackTimeoutMs`; `false` when it threw. */
  readonly timedOut: boolean;

  constructor(
    details: { subtype: string; target: string; timedOut: boolean; timeoutMs: number },
    context: ErrorContext & { cause?: unknown } = {},
  ) {
    const cause = context.cause instanceof Error ? context.cause.message : String(context.cause);
    super(
      details.timedOut
        ? `The ${details.subtype} callback for ${details.target} did not answer within ` +
            `${details.timeoutMs} ms`
        : `The ${details.subtype} callback for ${details.target} threw: ${cause}`,
      { ...context, retryable: false },
    );
    this.subtype = details.subtype;
    this.target = details.target;
    this.timedOut = details.timedOut;
  }
}
