import { ClaudeActorsError } from '../../../errors/claude-actors-error.js';

/** What is wrong with a plan's dependency graph. */
export type PlanGraphProblem =
  | 'duplicate_id'
  | 'unknown_dependency'
  | 'cycle'
  | 'unknown_placeholder'
  /** Two tasks would write their output to the same file. */
  | 'duplicate_output_file';

/**
 * A plan's tasks do not form a runnable graph: two tasks share an id, a task depends on a task
 * that does not exist, dependencies form a cycle, or a prompt uses `{{deps.<id>}}` for a task
 * it does not depend on. Raised before any task starts; never retryable.
 *
 * @example
 * `The plan's dependencies form a cycle: a → b → c → a. Remove one of these dependencies.`
 */
export class PlanGraphError extends ClaudeActorsError {
  /** Always `INVALID_PLAN_GRAPH`. */
  readonly code = 'INVALID_PLAN_GRAPH' as const;
  /** Which rule the graph breaks. */
  readonly problem: PlanGraphProblem;
  /** The task at fault (for a cycle: the first task of {@link cycle}). */
  readonly taskId: string;
  /** Path of the offending field, e.g. `tasks[3].dependsOn[1]`. */
  readonly path: string;
  /** For `unknown_dependency` and `unknown_placeholder`: the id that was referenced. */
  readonly dependency: string | undefined;
  /** For `cycle`: the task ids around the cycle, the first repeated at the end. */
  readonly cycle: readonly string[] | undefined;

  /**
   * @param message - What happened and what to do.
   * @param details - The problem, with the task and field at fault.
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
  ) {
    super(message, { retryable: false });
    this.problem = details.problem;
    this.taskId = details.taskId;
    this.path = details.path;
    this.dependency = details.dependency;
    this.cycle = details.cycle;
  }
}
