import { ClaudeActorsError, type ErrorContext } from '../../../core/errors/claude-actors-error.js';
import type { SessionErrorCode } from './session-error-code.js';

/** The CLI did not answer a control request (`interrupt`, `set_model`...) in time. */
export class ControlTimeoutError extends ClaudeActorsError {
  readonly code = 'CONTROL_TIMEOUT' satisfies SessionErrorCode;
  /** The request's subtype, e.g. `set_model`. */
  readonly subtype: string;
  readonly requestId: string;
  readonly timeoutMs: number;

  constructor(subtype: string, requestId: string, timeoutMs: number, context: ErrorContext = {}) {
    super(
      `The Claude Code CLI did not answer the \`${subtype}\` control request ${requestId} ` +
        `within ${timeoutMs} ms; raise \`controlTimeoutMs\` if the CLI is busy`,
      { ...context, retryable: true },
    );
    this.subtype = subtype;
    this.requestId = requestId;
    this.timeoutMs = timeoutMs;
  }
}
