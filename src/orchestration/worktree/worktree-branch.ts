/** Prefix of every branch (and so every worktree) the task queue creates. */
export const WORKTREE_BRANCH_PREFIX = 'claude-actors/';

/** The branch of a task's worktree: `claude-actors/<run>/<task-id>`. */
export function worktreeBranch(runId: string, taskId: string): string {
  return `${WORKTREE_BRANCH_PREFIX}${runId}/${taskId}`;
}
