import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { rm, rmdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { WorktreeError } from './errors/worktree-error.js';
import { git } from './git.js';
import { listRunWorktrees, removeWorktrees } from './list-run-worktrees.js';
import { activeRuns, removeRunMarker, writeRunMarker } from './run-marker.js';
import { worktreeBranch } from './worktree-branch.js';

/** A task's git worktree. */
export interface TaskWorktree {
  readonly taskId: string;
  /** Absolute path of the worktree: the task's query runs there (`cwd`). */
  readonly path: string;
  /** Its branch, `claude-actors/<run>/<task-id>`, created from the repository's `HEAD`. */
  readonly branch: string;
}

/** Options of {@link createWorktreeManager}. */
export interface WorktreeManagerOptions {
  /** Any directory inside the repository. */
  readonly repo: string;
  /** Names the run's branches; a valid git ref component. */
  readonly runId: string;
  /**
   * Directory under which worktrees are created (`<root>/<run>/<task-id>`).
   * @defaultValue `<tmpdir>/claude-actors-worktrees/<hash of the repository path>`
   */
  readonly root?: string | undefined;
  /** Clock for the run marker. @defaultValue `Date.now` */
  readonly now?: () => number;
}

/** The worktrees of one run. */
export interface WorktreeManager {
  /** The repository's top-level directory. */
  readonly repo: string;
  readonly runId: string;
  /**
   * The task's worktree, created on first call: its branch from `HEAD`, then the worktree. If
   * the worktree cannot be added, the branch is deleted again: nothing is left half-created.
   *
   * @throws {@link WorktreeError} naming the task and the failed git command.
   */
  acquire(taskId: string): Promise<TaskWorktree>;
  /** The worktrees created so far. */
  list(): TaskWorktree[];
  /**
   * Ends the run: removes every worktree and branch of the run (unless `keep`), and forgets the
   * run's marker, so kept worktrees are not taken for a crashed run's.
   *
   * @returns What could not be removed (the rest is).
   */
  dispose(options?: { keep?: boolean }): Promise<{ errors: readonly unknown[] }>;
}

/**
 * Manages the git worktrees of one task-queue run in the repository at `repo`. Creating it
 * records the run in the git directory, so that if the process dies mid-run, the next
 * `cleanupWorktrees` (which `runTaskQueue` calls) removes what the run left.
 *
 * @throws {@link WorktreeError} when `repo` is not inside a git repository.
 * @example
 * ```ts
 * const worktrees = await createWorktreeManager({ repo: process.cwd(), runId: 'r1' });
 * const { path } = await worktrees.acquire('refactor');
 * await worktrees.dispose();
 * ```
 */
export async function createWorktreeManager(
  options: WorktreeManagerOptions,
): Promise<WorktreeManager> {
  const { runId, now = Date.now } = options;
  const repo = (await git(['rev-parse', '--show-toplevel'], options.repo)).trim();
  const root =
    options.root ??
    join(
      tmpdir(),
      'claude-actors-worktrees',
      createHash('sha256').update(repo).digest('hex').slice(0, 12),
    );
  activeRuns.add(runId);
  await writeRunMarker(repo, runId, now());
  const created = new Map<string, Promise<TaskWorktree>>();
  const done: TaskWorktree[] = [];

  const create = async (taskId: string): Promise<TaskWorktree> => {
    const branch = worktreeBranch(runId, taskId);
    const path = join(root, runId, taskId);
    try {
      await git(['branch', branch, 'HEAD'], repo);
    } catch (cause) {
      throw rewrap(cause, taskId, `Creating branch ${branch} failed`);
    }
    const existed = existsSync(path);
    try {
      await git(['worktree', 'add', path, branch], repo);
    } catch (cause) {
      // Leave nothing half-created: the branch, a directory git started, its registration.
      if (!existed) await rm(path, { recursive: true, force: true }).catch(() => {});
      await git(['worktree', 'prune'], repo).catch(() => {});
      await git(['branch', '-D', branch], repo).catch(() => {});
      throw rewrap(cause, taskId, `Adding worktree ${path} (branch ${branch}) failed`);
    }
    const worktree = { taskId, path, branch };
    done.push(worktree);
    return worktree;
  };

  return {
    repo,
    runId,
    acquire(taskId) {
      let pending = created.get(taskId);
      if (!pending) {
        pending = create(taskId);
        created.set(taskId, pending);
        // A failed creation may be tried again (a task-level retry).
        pending.catch(() => created.delete(taskId));
      }
      return pending;
    },
    list: () => [...done],
    async dispose({ keep = false } = {}) {
      await Promise.allSettled(created.values());
      let errors: unknown[] = [];
      if (!keep) {
        const outcome = await removeWorktrees(repo, await listRunWorktrees(repo, runId));
        errors = outcome.errors;
        // Only when empty: never delete what is not the run's.
        await rmdir(join(root, runId)).catch(() => {});
      }
      if (errors.length === 0) await removeRunMarker(repo, runId).catch((e) => errors.push(e));
      activeRuns.delete(runId);
      return { errors };
    },
  };
}

function rewrap(cause: unknown, taskId: string, what: string): unknown {
  if (!(cause instanceof WorktreeError)) return cause;
  return new WorktreeError(
    { gitArgs: cause.gitArgs, cwd: cause.cwd, exitCode: cause.exitCode, stderr: cause.stderr },
    { taskId, cause, what },
  );
}
