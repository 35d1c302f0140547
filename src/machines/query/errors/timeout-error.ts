import { ClaudeActorsError, type ErrorContext } from '../../../core/errors/claude-actors-error.js';
import type { QueryErrorCode } from './query-error-code.js';

/** Which clock ran out. */
export type TimeoutKind = 'idle' | 'total';

/**
 * A query ran out of time. An idle timeout (the stream went silent) is retryable: the process
 * most likely hangs on a stalled connection. A total timeout is not: no time is left.
 */
export class TimeoutError extends ClaudeActorsError {
  readonly code: Extract<QueryErrorCode, 'IDLE_TIMEOUT' | 'TOTAL_TIMEOUT'>;
  readonly kind: TimeoutKind;
  readonly timeoutMs: number;

  constructor(kind: TimeoutKind, timeoutMs: number, context: ErrorContext = {}) {
    super(
      kind === 'idle'
        ? `The Claude Code CLI wrote nothing for ${timeoutMs} ms (idle timeout); it was killed`
        : `The query did not finish within ${timeoutMs} ms (total timeout); it was killed`,
      { ...context, retryable: kind === 'idle' },
    );
    this.kind = kind;
    this.timeoutMs = timeoutMs;
    this.code = kind === 'idle' ? 'IDLE_TIMEOUT' : 'TOTAL_TIMEOUT';
  }
}
