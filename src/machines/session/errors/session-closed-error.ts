import { ClaudeActorsError, type ErrorContext } from '../../../core/errors/claude-actors-error.js';

/**
 * A turn or control request could not run because its session was closing, closed, killed or
 * failed. `cause` holds the failure that ended the session, when it failed.
 */
export class SessionClosedError extends ClaudeActorsError {
  // Not yet in the ErrorCode union (src/errors is not ours to edit): cast until it is added.
  readonly code = 'SESSION_CLOSED' as const;
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
