export {
  type CleanupWorktreesOptions,
  type CleanupWorktreesResult,
  cleanupWorktrees,
} from './cleanup-worktrees.js';
export {
  createWorktreeManager,
  type TaskWorktree,
  type WorktreeManager,
  type WorktreeManagerOptions,
} from './create-worktree-manager.js';
export { WorktreeError } from './errors/worktree-error.js';
export { WORKTREE_BRANCH_PREFIX, worktreeBranch } from './worktree-branch.js';
