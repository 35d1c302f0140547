import { ClaudeActorsError } from '../../../core/errors/claude-actors-error.js';
import type { OrchestrationErrorCode } from '../../orchestration-error-code.js';

/**
 * A report write was refused: its path would end up outside the output directory (`..`, an
 * absolute path, a backslash, a NUL byte, a symbolic link on the way). Never retryable.
 *
 * @example
 * `Refusing to write task \`a\`'s output to \`../x\`: expected a path inside the output
 * directory (no \`..\` segment)`
 */
export class OutputPathError extends ClaudeActorsError {
  readonly code = 'OUTPUT_PATH_REFUSED' satisfies OrchestrationErrorCode;
  /** The path as given (relative to the output directory). */
  readonly file: string;
  /** Why it was refused. */
  readonly reason: string;
  /** The task whose output it was, when it was one. */
  readonly taskId: string | undefined;

  constructor(file: string, reason: string, taskId?: string) {
    const what = taskId === undefined ? '' : ` task \`${taskId}\`'s output to`;
    // JSON escapes make a NUL byte or a newline visible instead of cutting the message.
    super(`Refusing to write${what} \`${JSON.stringify(file).slice(1, -1)}\`: ${reason}`, {
      retryable: false,
    });
    this.file = file;
    this.reason = reason;
    this.taskId = taskId;
  }
}
