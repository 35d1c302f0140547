import type { ClaudeActorsError } from '../../core/errors/claude-actors-error.js';
import type { ResultMessage } from '../../protocol/cli-message.js';
import type { QueryEnd, QueryHistory } from './history/query-history.js';
import type { ResolvedQueryOptions } from './options/query-options.js';
import type { QueryPrompt } from './query-types.js';

/**
 * @internal The query machine's context: what spans attempts is in `history` only; the rest
 * is the current attempt's (reset when the next one begins) or how the query ended.
 */
export interface QueryContext {
  readonly queryId: string;
  readonly prompt: QueryPrompt;
  readonly options: ResolvedQueryOptions;
  readonly random: () => number;
  readonly now: () => number;
  /** Retries are restarts by a supervisor: the actor ends once it has planned one. */
  readonly retryByRestart: boolean;
  /** See `QueryInput.parkHorizonMs`; `undefined` when nothing parks. */
  readonly parkHorizonMs: number | undefined;
  /** Every attempt so far, and the retry planned after the last one. */
  readonly history: QueryHistory;
  /** Current attempt, 1-based. */
  readonly attempt: number;
  /** When the current attempt began (before admission); `undefined` between attempts. */
  readonly attemptStartedAt: number | undefined;
  readonly pid: number | undefined;
  /** The session of the current attempt (the last one known until its init says). */
  readonly sessionId: string | undefined;
  /** The result message of the current attempt. */
  readonly result: ResultMessage | undefined;
  /** Why the current attempt failed, once known. */
  readonly attemptError: ClaudeActorsError | undefined;
  /** The validated structured output (when an `outputSchema` was given). */
  readonly structuredOutput: unknown;
  /** The wait the CLI announced in this attempt (api_retry, rate_limit_event), in ms. */
  readonly retryHintMs: number | undefined;
  /** Request ids of the CLI's control requests whose callback is still running. */
  readonly callbacksRunning: readonly string[];
  /** A supervisor asked it to stop: no further attempt. */
  readonly shuttingDown: boolean;
  /** The current attempt was admitted and has not been reported yet. */
  readonly permitHeld: boolean;
  /** How the query ended, once it has. */
  readonly end: QueryEnd | undefined;
}
