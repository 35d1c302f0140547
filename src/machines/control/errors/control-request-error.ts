import { ClaudeActorsError, type ErrorContext } from '../../../core/errors/claude-actors-error.js';
import type { ControlErrorCode } from './control-error-code.js';

/**
 * The CLI answered a control request with an error, e.g. `unsupported_request` for a subtype
 * it does not know.
 */
export class ControlRequestError extends ClaudeActorsError {
  readonly code = 'CONTROL_REQUEST_FAILED' satisfies ControlErrorCode;
  readonly subtype: string;
  readonly requestId: string;
  /** The CLI's `error_code`, when it gave one. */
  readonly errorCode: string | undefined;

  constructor(
    subtype: string,
    requestId: string,
    error: string,
    errorCode: string | undefined,
    context: ErrorContext = {},
  ) {
    super(
      `The Claude Code CLI refused the \`${subtype}\` control request ${requestId}: ${error}` +
        (errorCode ? ` (${errorCode})` : ''),
      { ...context, retryable: false },
    );
    this.subtype = subtype;
    this.requestId = requestId;
    this.errorCode = errorCode;
  }
}
