import { git } from './git.js';
import { WORKTREE_BRANCH_PREFIX } from './worktree-branch.js';

/** A worktree or branch created by the task queue, found in a repository. @internal */
export interface FoundWorktrees {
  /** Worktrees on `claude-actors/…` branches: path and branch. */
  readonly worktrees: readonly { readonly path: string; readonly branch: string }[];
  /** Every `claude-actors/…` branch, with or without a worktree. */
  readonly branches: readonly string[];
}

/** The task-queue worktrees and branches of `repo`, those of `runId` only when given. @internal */
export async function listRunWorktrees(repo: string, runId?: string): Promise<FoundWorktrees> {
  const prefix =
    runId === undefined ? WORKTREE_BRANCH_PREFIX : `${WORKTREE_BRANCH_PREFIX}${runId}/`;
  const porcelain = await git(['worktree', 'list', '--porcelain'], repo);
  const worktrees: { path: string; branch: string }[] = [];
  for (const block of porcelain.split(/\n\n+/)) {
    const path = /^worktree (.+)$/m.exec(block)?.[1];
    const ref = /^branch refs\/heads\/(.+)$/m.exec(block)?.[1];
    if (path && ref?.startsWith(prefix)) worktrees.push({ path, branch: ref });
  }
  const refs = await git(
    ['for-each-ref', '--format=%(refname:short)', `refs/heads/${prefix}`],
    repo,
  );
  const branches = refs
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line.startsWith(prefix));
  return { worktrees, branches };
}

/** Removes worktrees (forcefully) and deletes branches; returns what failed. @internal */
export async function removeWorktrees(
  repo: string,
  found: FoundWorktrees,
): Promise<{ removed: string[]; deleted: string[]; errors: unknown[] }> {
  const removed: string[] = [];
  const deleted: string[] = [];
  const errors: unknown[] = [];
  for (const worktree of found.worktrees) {
    try {
      await git(['worktree', 'remove', '--force', '--force', worktree.path], repo);
      removed.push(worktree.path);
    } catch (error) {
      errors.push(error);
    }
  }
  // A directory removed by hand leaves a registration behind: drop it before deleting branches.
  await git(['worktree', 'prune'], repo).catch((error: unknown) => errors.push(error));
  for (const branch of found.branches) {
    try {
      await git(['branch', '-D', branch], repo);
      deleted.push(branch);
    } catch (error) {
      errors.push(error);
    }
  }
  return { removed, deleted, errors };
}
