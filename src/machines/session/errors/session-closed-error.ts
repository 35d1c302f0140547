import { ClaudeActorsError, type ErrorContext } from '../../../core/errors/claude-actors-error.js';
import type { SessionErrorCode } from './session-error-code.js';

/**
 * A turn or control request could not run because its session was closing, closed, killed or
 * failed. `cause` holds the failure that ended the session, when it failed.
 */
export class SessionClosedError extends ClaudeActorsError {
  readonly code = 'SESSION_CLOSED' satisfies SessionErrorCode;
  /** What the caller asked for: `turn`, or the subtype of a control request. */
  readonly operation: string;
  /** Local id of the session. */
  readonly sessionKey: string | undefined;

  constructor(
    operation: string,
    why: string,
    context: ErrorContext & { sessionKey?: string | undefined; cause?: unknown } = {},
  ) {
    const who = context.sessionKey === undefined ? 'The session' : `Session ${context.sessionKey}`;
    super(`${who} cannot run ${operation}: ${why}`, { ...context, retryable: false });
    this.operation = operation;
    this.sessionKey = context.sessionKey;
  }
}
