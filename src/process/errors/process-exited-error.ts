import { ClaudeActorsError, type ErrorContext } from '../../core/errors/claude-actors-error.js';
import { redactSecrets } from '../../core/redaction/redact-secrets.js';
import type { ProcessErrorCode } from './process-error-code.js';

/** The CLI ended without writing a `result` message. */
export class ProcessExitedError extends ClaudeActorsError {
  readonly code = 'PROCESS_EXITED' satisfies ProcessErrorCode;
  readonly exitCode: number | undefined;
  readonly signal: string | undefined;
  /** The last lines the CLI wrote to stderr (bounded). */
  readonly stderrTail: string;

  constructor(
    details: { exitCode?: number | undefined; signal?: string | undefined; stderrTail: string },
    context: ErrorContext & { retryable: boolean },
  ) {
    const how = details.signal
      ? `was killed by ${details.signal}`
      : `exited with code ${details.exitCode ?? 'unknown'}`;
    const tail = details.stderrTail.trim();
    super(
      `The Claude Code CLI${context.pid ? ` (pid ${context.pid})` : ''} ${how} before it ` +
        `wrote a result${tail ? `. stderr: ${tail}` : ' (stderr was empty)'}`,
      context,
    );
    this.exitCode = details.exitCode;
    this.signal = details.signal;
    this.stderrTail = redactSecrets(details.stderrTail);
  }
}
