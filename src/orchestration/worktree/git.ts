import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { WorktreeError } from './errors/worktree-error.js';

const execFileAsync = promisify(execFile);

/**
 * Runs git with an argument array (never a shell) and returns its stdout.
 *
 * @throws {@link WorktreeError} with the arguments, exit code and stderr when git fails.
 * @internal
 */
export async function git(args: readonly string[], cwd: string): Promise<string> {
  try {
    const { stdout } = await execFileAsync('git', [...args], {
      cwd,
      maxBuffer: 16 * 1024 * 1024,
      // Never wait for a credential prompt or an editor.
      env: { ...process.env, GIT_TERMINAL_PROMPT: '0', GIT_EDITOR: 'true' },
    });
    return stdout;
  } catch (cause) {
    const failure = cause as { code?: unknown; stderr?: unknown; message?: string };
    throw new WorktreeError(
      {
        gitArgs: args,
        cwd,
        exitCode: typeof failure.code === 'number' ? failure.code : undefined,
        stderr: typeof failure.stderr === 'string' ? failure.stderr : failure.message,
      },
      { cause },
    );
  }
}
