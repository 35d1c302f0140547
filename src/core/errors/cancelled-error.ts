import { ClaudeActorsError, type CoreErrorCode, type ErrorContext } from './claude-actors-error.js';

/** The query was cancelled by its owner (actor stopped, `CANCEL` event, or AbortSignal). */
export class CancelledError extends ClaudeActorsError {
  readonly code = 'CANCELLED' satisfies CoreErrorCode;
  readonly reason: unknown;

  constructor(reason: unknown, context: ErrorContext = {}) {
    super(
      `The query was cancelled${reason === undefined ? '' : `: ${reason instanceof Error ? reason.message : String(reason)}`}`,
      { ...context, retryable: false },
    );
    this.reason = reason;
  }
}
