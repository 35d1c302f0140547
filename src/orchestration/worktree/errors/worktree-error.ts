import { ClaudeActorsError } from '../../../core/errors/claude-actors-error.js';
import type { OrchestrationErrorCode } from '../../orchestration-error-code.js';

/**
 * A git command behind a task's worktree failed (creating, removing or cleaning up). Carries
 * the command, where it ran, its exit code and stderr. Not retryable: the repository needs a
 * look (no commit yet, a path in the way, a locked ref).
 */
export class WorktreeError extends ClaudeActorsError {
  /** Always `WORKTREE_FAILED`. */
  readonly code = 'WORKTREE_FAILED' satisfies OrchestrationErrorCode;
  /** The git arguments (`['worktree', 'add', ...]`). */
  readonly gitArgs: readonly string[];
  /** Where git ran. */
  readonly cwd: string;
  /** git's exit code, when it ran and failed. */
  readonly exitCode: number | undefined;
  /** The end of git's stderr. */
  readonly stderr: string;
  /** The task whose worktree it was, when known. */
  readonly taskId: string | undefined;

  /**
   * @param details - The failed command and its output.
   * @param options - The task, and the underlying error.
   */
  constructor(
    details: {
      gitArgs: readonly string[];
      cwd: string;
      exitCode?: number | undefined;
      stderr?: string | undefined;
    },
    options: { taskId?: string | undefined; cause?: unknown; what?: string } = {},
  ) {
    const stderr = (details.stderr ?? '').trim().slice(-2000);
    const who = options.taskId === undefined ? '' : ` for task \`${options.taskId}\``;
    const what = options.what ?? `\`git ${details.gitArgs.join(' ')}\` failed`;
    const exit = details.exitCode === undefined ? '' : ` (exit ${details.exitCode})`;
    super(`${what}${who} in ${details.cwd}${exit}${stderr ? `: ${stderr}` : ''}`, {
      retryable: false,
      cause: options.cause,
    });
    this.gitArgs = details.gitArgs;
    this.cwd = details.cwd;
    this.exitCode = details.exitCode;
    this.stderr = stderr;
    this.taskId = options.taskId;
  }
}
