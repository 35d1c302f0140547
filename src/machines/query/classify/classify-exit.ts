import type { ClaudeActorsError, ErrorContext } from '../../../core/errors/claude-actors-error.js';
import { ProcessExitedError } from '../../../process/errors/process-exited-error.js';
import type { SpawnFailedError } from '../../../process/errors/spawn-failed-error.js';

/** How a process ended, as far as classification cares. */
export interface ExitFacts {
  readonly exitCode: number | undefined;
  readonly signal: string | undefined;
  readonly stderrTail: string;
  readonly spawnError?: SpawnFailedError | undefined;
}

/** stderr of a CLI that rejected its own command line: running it again cannot help. */
const USAGE_ERROR =
  /error: (unknown option|option '.*' argument|invalid|missing required)|--\S+ (requires|must|cannot|is not)|^Error: --/im;

/**
 * Classifies a CLI that ended without a result. A signal (killed, OOM) or an unexplained
 * non-zero exit is a crash and worth retrying; a rejected command line is not.
 */
export function classifyExit(exit: ExitFacts, context: ErrorContext = {}): ClaudeActorsError {
  if (exit.spawnError) return exit.spawnError;
  const usage = exit.signal === undefined && USAGE_ERROR.test(exit.stderrTail);
  return new ProcessExitedError(exit, { ...context, retryable: !usage });
}
