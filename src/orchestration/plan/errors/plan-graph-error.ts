import { ClaudeActorsError } from '../../../core/errors/claude-actors-error.js';
import type { OrchestrationErrorCode } from '../../orchestration-error-code.js';

/** What is wrong with a plan's dependency graph. */
export type PlanGraphProblem =
  | 'duplicate_id'
  | 'unknown_dependency'
  | 'cycle'
  | 'unknown_placeholder'
  /** Two tasks would write their output to the same file (names compared ignoring case). */
  | 'duplicate_output_file'
  /**
   * A task's output path goes through another task's output file (or `report.json`) as if it
   * were a folder (`tasks/b.md` and `tasks/b.md/c.md`): only one of them can exist.
   */
  | 'output_path_conflict';

/** One problem of a plan's dependency graph. */
export interface PlanGraphIssue {
  /** Which rule the graph breaks. */
  readonly problem: PlanGraphProblem;
  /** What is wrong and what to do. */
  readonly message: string;
  /** The task at fault (for a cycle: the first task of {@link cycle}). */
  readonly taskId: string;
  /** Path of the offending field, e.g. `tasks[3].dependsOn[1]`. */
  readonly path: string;
  /** For `unknown_dependency` and `unknown_placeholder`: the id that was referenced. */
  readonly dependency?: string | undefined;
  /** For `cycle`: the task ids around the cycle, the first repeated at the end. */
  readonly cycle?: readonly string[] | undefined;
}

/**
 * A plan's tasks do not form a runnable graph: two tasks share an id, a task depends on a task
 * that does not exist, dependencies form a cycle, a prompt uses `{{deps.<id>}}` for a task it
 * does not depend on, or two tasks' output files clash (the same file, or one inside the
 * other). Raised before any task starts; never retryable. {@link problems} lists every problem
 * found; the error's own fields describe the first.
 *
 * @example
 * `The plan's dependencies form a cycle: a → b → c → a. Remove one of these dependencies.`
 */
export class PlanGraphError extends ClaudeActorsError {
  /** Always `INVALID_PLAN_GRAPH`. */
  readonly code = 'INVALID_PLAN_GRAPH' satisfies OrchestrationErrorCode;
  /** Which rule the graph breaks (the first problem). */
  readonly problem: PlanGraphProblem;
  /** The task at fault (for a cycle: the first task of {@link cycle}). */
  readonly taskId: string;
  /** Path of the offending field, e.g. `tasks[3].dependsOn[1]`. */
  readonly path: string;
  /** For `unknown_dependency` and `unknown_placeholder`: the id that was referenced. */
  readonly dependency: string | undefined;
  /** For `cycle`: the task ids around the cycle, the first repeated at the end. */
  readonly cycle: readonly string[] | undefined;
  /** Every problem found, in plan order (at least one; the first is this error's own). */
  readonly problems: readonly PlanGraphIssue[];

  /**
   * @param message - What happened and what to do (of the first problem).
   * @param details - The first problem, with the task and field at fault.
   * @param more - Further problems found in the same plan.
   */
  constructor(
    message: string,
    details: {
      problem: PlanGraphProblem;
      taskId: string;
      path: string;
      dependency?: string | undefined;
      cycle?: readonly string[] | undefined;
    },
    more: readonly PlanGraphIssue[] = [],
  ) {
    super(more.length > 0 ? `${message} (and ${more.length} more problem(s))` : message, {
      retryable: false,
    });
    this.problem = details.problem;
    this.taskId = details.taskId;
    this.path = details.path;
    this.dependency = details.dependency;
    this.cycle = details.cycle;
    this.problems = [{ ...details, message }, ...more];
  }

  /**
   * The error for a list of problems.
   *
   * @param issues - At least one problem.
   */
  static of(issues: readonly PlanGraphIssue[]): PlanGraphError {
    const [first, ...more] = issues;
    if (!first) throw new RangeError('PlanGraphError.of needs at least one problem');
    const { message, ...details } = first;
    return new PlanGraphError(message, details, more);
  }
}
