import { ClaudeActorsError } from '../../../core/errors/claude-actors-error.js';
import type { OrchestrationErrorCode } from '../../orchestration-error-code.js';

/** One problem found in a plan. */
export interface PlanIssue {
  /** Path of the field, e.g. `tasks[2].dependsOn[0]`; empty for the plan as a whole. */
  readonly path: string;
  /** Id of the task the field belongs to, when the task has a readable id. */
  readonly taskId: string | undefined;
  /** What was expected. */
  readonly message: string;
  /** The value received, rendered for humans (`` `5` (number) ``, `nothing`). */
  readonly received: string;
}

/**
 * A plan could not be read or failed validation. Raised before any task starts; never
 * retryable. The message names the first problem: the file, the task, the field and the value.
 *
 * @example
 * `Invalid plan (plan.yaml): task \`review\`, field \`tasks[2].dependsOn[0]\`: expected a
 * string, got \`5\` (number)`
 */
export class InvalidPlanError extends ClaudeActorsError {
  /** Always `INVALID_PLAN`. */
  readonly code = 'INVALID_PLAN' satisfies OrchestrationErrorCode;
  /** Every problem found, in order. */
  readonly issues: readonly PlanIssue[];
  /** The file the plan came from, when it came from one. */
  readonly source: string | undefined;

  /**
   * @param issues - The problems found (at least one).
   * @param options - Where the plan came from, and the underlying error (e.g. a YAML syntax
   *   error).
   */
  constructor(
    issues: readonly PlanIssue[],
    options: { source?: string | undefined; cause?: unknown } = {},
  ) {
    const where = options.source ? ` (${options.source})` : '';
    const first = issues[0];
    let head = `Invalid plan${where}`;
    if (first) {
      const task = first.taskId === undefined ? '' : `task \`${first.taskId}\`, `;
      const field = first.path ? `field \`${first.path}\`: ` : '';
      const got = first.received ? `, got ${first.received}` : '';
      head += `: ${task}${field}${first.message}${got}`;
    }
    const more = issues.length > 1 ? ` (and ${issues.length - 1} more problem(s))` : '';
    super(head + more, { retryable: false, cause: options.cause });
    this.issues = issues;
    this.source = options.source;
  }
}
