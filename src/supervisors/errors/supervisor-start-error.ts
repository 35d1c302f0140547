import { ClaudeActorsError } from '../../core/errors/claude-actors-error.js';
import type { SupervisorErrorCode } from './supervisor-error-code.js';

/** A supervisor could not start because one of its children could not (OTP `shutdown` reason). */
export class SupervisorStartError extends ClaudeActorsError {
  readonly code = 'SUPERVISOR_START_FAILED' satisfies SupervisorErrorCode;
  readonly childId: string;

  constructor(childId: string, cause: unknown) {
    super(
      `The supervisor could not start child \`${childId}\`: ${cause instanceof Error ? cause.message : String(cause)}; the children already started were terminated`,
      { retryable: false, cause },
    );
    this.childId = childId;
  }
}
