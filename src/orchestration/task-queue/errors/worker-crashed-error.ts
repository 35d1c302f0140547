import { ClaudeActorsError } from '../../../core/errors/claude-actors-error.js';
import type { OrchestrationErrorCode } from '../../orchestration-error-code.js';

/**
 * A task failed because the worker running it crashed too often (each crash is restarted by the
 * worker supervisor and the task queued again), or because the supervisor gave up after too
 * many worker crashes. Not retryable: the crash is in the worker, not in Claude.
 */
export class WorkerCrashedError extends ClaudeActorsError {
  /** Always `WORKER_CRASHED`. */
  readonly code = 'WORKER_CRASHED' satisfies OrchestrationErrorCode;
  /** The worker that crashed last (`worker-2`). */
  readonly workerId: string | undefined;
  /** The task it held. */
  readonly taskId: string | undefined;
  /** Crashes while running this task. */
  readonly crashes: number;

  /**
   * @param message - What happened and what to do.
   * @param details - The worker, its task and the crash count; `cause` is the last crash.
   */
  constructor(
    message: string,
    details: { workerId?: string; taskId?: string; crashes?: number; cause?: unknown } = {},
  ) {
    super(message, { retryable: false, cause: details.cause });
    this.workerId = details.workerId;
    this.taskId = details.taskId;
    this.crashes = details.crashes ?? 0;
  }
}
