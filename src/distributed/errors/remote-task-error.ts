import { ClaudeActorsError } from '../../core/errors/claude-actors-error.js';

/**
 * The error a worker's query ended with, as it came back through Redis: the worker's `code`,
 * `name`, `message` and `retryable`, redacted there and again here. `code` is the worker's
 * (`RATE_LIMITED`, `BUDGET_EXCEEDED`...), so reports and retries treat it as a local one.
 */
export class RemoteTaskError extends ClaudeActorsError {
  /** The code of the error on the worker (one of `ErrorCode`, or `UNKNOWN`). */
  readonly code: string;
  /** The class name of the error on the worker, e.g. `RateLimitError`. */
  readonly remoteName: string;
  /** The BullMQ job the error came from. */
  readonly jobId: string;

  constructor(
    error: { code: string; name: string; message: string; retryable: boolean },
    context: { jobId: string; queryId?: string | undefined },
  ) {
    super(error.message, { retryable: error.retryable, queryId: context.queryId });
    this.code = error.code;
    this.remoteName = error.name;
    this.jobId = context.jobId;
  }
}
