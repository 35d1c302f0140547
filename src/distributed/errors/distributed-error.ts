import { ClaudeActorsError } from '../../core/errors/claude-actors-error.js';
import type { DistributedErrorCode } from './distributed-error-code.js';

/**
 * A task dispatched through Redis could not be run or followed: Redis unreachable
 * (`BACKEND_UNAVAILABLE`, retryable), the job lost with the data of a restarted Redis
 * (`JOB_LOST`, retryable), a job that breaks the contract (`INVALID_JOB`), or a job BullMQ failed
 * outside the query (`JOB_FAILED`: stalled too often, retryable).
 */
export class DistributedError extends ClaudeActorsError {
  readonly code: DistributedErrorCode;
  /** The BullMQ job id, when the error concerns one job. */
  readonly jobId: string | undefined;

  constructor(
    code: DistributedErrorCode,
    message: string,
    options: {
      jobId?: string | undefined;
      queryId?: string | undefined;
      retryable?: boolean;
      cause?: unknown;
    } = {},
  ) {
    super(message, {
      retryable: options.retryable ?? code !== 'INVALID_JOB',
      queryId: options.queryId,
      cause: options.cause,
    });
    this.code = code;
    this.jobId = options.jobId;
  }
}
