import { ClaudeActorsError } from '../../../core/errors/claude-actors-error.js';
import type { OrchestrationErrorCode } from '../../orchestration-error-code.js';
import type { PlanChanges } from '../plan-changes.js';

/**
 * A run could not start as asked from the journal: the plan changed since the journalled run
 * (the message lists the task ids added, removed and changed; `resumeChangedPlan: 'reconcile'`
 * reruns what changed instead), or a run with the given `runId` is in the store already and
 * `resume` was not asked. Nothing ran. Not retryable as it is.
 */
export class ResumeRefusedError extends ClaudeActorsError {
  /** Always `RESUME_REFUSED`. */
  readonly code = 'RESUME_REFUSED' satisfies OrchestrationErrorCode;
  readonly runId: string;
  /** What changed in the plan, when that is why. */
  readonly changes: PlanChanges | undefined;

  /**
   * @param message - What was refused and what to do.
   * @param details - The run, and the plan's changes when they are the reason.
   */
  constructor(message: string, details: { runId: string; changes?: PlanChanges }) {
    super(message, { retryable: false });
    this.runId = details.runId;
    this.changes = details.changes;
  }
}
