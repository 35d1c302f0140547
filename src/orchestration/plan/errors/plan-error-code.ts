/** Codes of the errors raised by plans, the task queue and worktrees. */
export type OrchestrationErrorCode =
  | 'INVALID_PLAN'
  | 'INVALID_PLAN_GRAPH'
  | 'WORKER_CRASHED'
  | 'WORKTREE_FAILED';
