import { ClaudeActorsError, type ErrorContext } from '../../core/errors/claude-actors-error.js';
import type { ProcessErrorCode } from './process-error-code.js';

/** The operating system refused to start the CLI (ENOENT, EACCES, EMFILE...). */
export class SpawnFailedError extends ClaudeActorsError {
  readonly code = 'SPAWN_FAILED' satisfies ProcessErrorCode;
  readonly executable: string;
  readonly errno: string | undefined;

  constructor(executable: string, cause: unknown, context: ErrorContext = {}) {
    const errno = (cause as NodeJS.ErrnoException | undefined)?.code;
    // Resource exhaustion passes; a missing or non-executable file does not.
    const retryable = errno === 'EMFILE' || errno === 'ENFILE' || errno === 'EAGAIN';
    super(
      `Could not start the Claude Code CLI at ${executable}: ${
        cause instanceof Error ? cause.message : String(cause)
      }`,
      { ...context, retryable, cause },
    );
    this.executable = executable;
    this.errno = errno;
  }
}
