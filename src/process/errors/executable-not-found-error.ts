import { ClaudeActorsError } from '../../core/errors/claude-actors-error.js';
import type { ProcessErrorCode } from './process-error-code.js';

/** No `claude` executable could be found; lists every place that was tried. */
export class ExecutableNotFoundError extends ClaudeActorsError {
  readonly code = 'EXECUTABLE_NOT_FOUND' satisfies ProcessErrorCode;
  readonly tried: readonly string[];

  constructor(tried: readonly string[]) {
    super(
      `Could not find the Claude Code CLI. Tried: ${tried.join('; ')}. ` +
        'Install it with `npm install @anthropic-ai/claude-code`, set CLAUDE_ACTORS_CLI, ' +
        'or pass the `executable` option.',
      { retryable: false },
    );
    this.tried = tried;
  }
}
