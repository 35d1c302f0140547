import { listRunWorktrees, removeWorktrees } from './list-run-worktrees.js';
import { activeRuns, isStale, readRunMarkers, removeRunMarker } from './run-marker.js';
import { WORKTREE_BRANCH_PREFIX } from './worktree-branch.js';

/** Options of {@link cleanupWorktrees}. */
export interface CleanupWorktreesOptions {
  /**
   * Also remove worktrees that a finished run kept (`keepWorktrees`), and branches of runs
   * with no marker. Runs active in this process are never touched.
   * @defaultValue false: only runs whose process is gone (crashed mid-run)
   */
  readonly all?: boolean;
}

/** What {@link cleanupWorktrees} removed. */
export interface CleanupWorktreesResult {
  /** Runs cleaned up. */
  readonly runs: readonly string[];
  /** Worktree paths removed. */
  readonly worktrees: readonly string[];
  /** Branches deleted. */
  readonly branches: readonly string[];
  /** What could not be removed (each a `WorktreeError`); the rest was still cleaned. */
  readonly errors: readonly unknown[];
}

/**
 * Removes the worktrees and `claude-actors/<run>/…` branches left by task-queue runs that
 * crashed mid-run (their process is gone), and with `all`, every task-queue worktree not in
 * use. `runTaskQueue` calls it before a run that uses worktrees.
 *
 * @param repo - Any directory inside the repository.
 * @throws {@link WorktreeError} when `repo` is not a git repository.
 * @example
 * ```ts
 * const { worktrees, branches } = await cleanupWorktrees(process.cwd());
 * ```
 */
export async function cleanupWorktrees(
  repo: string,
  options: CleanupWorktreesOptions = {},
): Promise<CleanupWorktreesResult> {
  const markers = await readRunMarkers(repo);
  const runs = new Set(markers.filter(isStale).map((marker) => marker.runId));
  if (options.all) {
    const marked = new Set(markers.map((marker) => marker.runId));
    const { branches } = await listRunWorktrees(repo);
    for (const branch of branches) {
      const runId = branch.slice(WORKTREE_BRANCH_PREFIX.length).split('/')[0]!;
      if (!activeRuns.has(runId) && (!marked.has(runId) || runs.has(runId))) runs.add(runId);
    }
  }
  const worktrees: string[] = [];
  const branches: string[] = [];
  const errors: unknown[] = [];
  for (const runId of runs) {
    const outcome = await removeWorktrees(repo, await listRunWorktrees(repo, runId));
    worktrees.push(...outcome.removed);
    branches.push(...outcome.deleted);
    errors.push(...outcome.errors);
    if (outcome.errors.length === 0) await removeRunMarker(repo, runId);
  }
  return { runs: [...runs], worktrees, branches, errors };
}
