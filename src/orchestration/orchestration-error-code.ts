/** Codes of the errors raised by plans, the planner, the task queue, reports and worktrees. */
export type OrchestrationErrorCode =
  | 'INVALID_PLAN'
  | 'INVALID_PLAN_GRAPH'
  | 'PLANNER_FAILED'
  | 'WORKER_CRASHED'
  | 'WORKTREE_FAILED'
  | 'OUTPUT_PATH_REFUSED'
  | 'RESUME_REFUSED'
  | 'RUN_OWNED';
