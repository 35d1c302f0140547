import { ClaudeActorsError } from '../../core/errors/claude-actors-error.js';
import type { RemoteErrorCode } from './remote-error-code.js';

/**
 * The error a worker's query ended with, as it came back through Redis: the worker's `code`,
 * `name`, `message` and `retryable`, redacted there and again here. `code` is the worker's
 * (`RATE_LIMITED`, `BUDGET_EXCEEDED`...), so reports and retries treat it as a local one.
 */
export class RemoteTaskError extends ClaudeActorsError {
  /**
   * The code of the error on the worker; `JOB_FAILED` when it had none (it sent `UNKNOWN`, or
   * something not shaped like a code: {@link RemoteTaskError.remoteCode} keeps it).
   */
  readonly code: RemoteErrorCode;
  /** The code as the worker sent it (`UNKNOWN` for an error without one). */
  readonly remoteCode: string;
  /** The class name of the error on the worker, e.g. `RateLimitError`. */
  readonly remoteName: string;
  /** The BullMQ job the error came from. */
  readonly jobId: string;

  constructor(
    error: { code: string; name: string; message: string; retryable: boolean },
    context: { jobId: string; queryId?: string | undefined },
  ) {
    super(error.message, { retryable: error.retryable, queryId: context.queryId });
    this.code = isKnownCode(error.code) ? error.code : 'JOB_FAILED';
    this.remoteCode = error.code;
    this.remoteName = error.name;
    this.jobId = context.jobId;
  }
}

/** Codes are upper snake case; `UNKNOWN` is what a worker sends for an error without one. */
function isKnownCode(code: string): code is RemoteErrorCode {
  return /^[A-Z][A-Z_]*$/.test(code) && code !== 'UNKNOWN';
}
