import { ClaudeActorsError } from '../../core/errors/claude-actors-error.js';
import type { OrchestrationErrorCode } from '../orchestration-error-code.js';

/** The planner could not get a valid plan from Claude within its attempts. */
export class PlannerError extends ClaudeActorsError {
  readonly code = 'PLANNER_FAILED' satisfies OrchestrationErrorCode;
  /** Why each attempt was rejected, in order. */
  readonly rejections: readonly string[];
  /** What Claude returned last (its structured output or text), so nothing is lost. */
  readonly lastOutput: unknown;

  constructor(rejections: readonly string[], lastOutput: unknown) {
    super(
      `The planner got no valid plan in ${rejections.length} attempt(s); last problem: ${rejections.at(-1) ?? 'unknown'}`,
      { retryable: false },
    );
    this.rejections = rejections;
    this.lastOutput = lastOutput;
  }
}
