import type { ClaudeActorsError } from '../../core/errors/claude-actors-error.js';
import type { ResultMessage } from '../../protocol/cli-message.js';
import type { ResolvedQueryOptions } from './options/query-options.js';
import type { QueryPrompt, QueryStatus, QueryUsage } from './query-types.js';

/** @internal The query machine's context. */
export interface QueryContext {
  readonly queryId: string;
  readonly prompt: QueryPrompt;
  readonly options: ResolvedQueryOptions;
  readonly random: () => number;
  readonly now: () => number;
  readonly startedAt: number;
  /** When the whole query must be over (epoch ms), if ever. */
  readonly deadlineAt: number | undefined;
  /** Current attempt, 1-based. */
  readonly attempt: number;
  readonly pid: number | undefined;
  readonly sessionId: string | undefined;
  /** The result message of the current attempt. */
  readonly result: ResultMessage | undefined;
  /** Why the current attempt failed, once known. */
  readonly attemptError: ClaudeActorsError | undefined;
  readonly attemptErrors: readonly ClaudeActorsError[];
  /** Cost of attempts that ended in error (they cost money too). */
  readonly failedCostUsd: number;
  readonly retryDelayMs: number;
  readonly status: QueryStatus | undefined;
  readonly error: ClaudeActorsError | undefined;
  readonly finishedAt: number | undefined;
  /** A supervisor asked it to stop: no further attempt. */
  readonly shuttingDown: boolean;
  readonly startDelayMs: number;
  /** The validated structured output (when an `outputSchema` was given). */
  readonly structuredOutput: unknown;
  /** The current attempt was admitted and has not been reported yet. */
  readonly permitHeld: boolean;
  /** The wait the CLI announced in this attempt (api_retry, rate_limit_event), in ms. */
  readonly retryHintMs: number | undefined;
}

/** @internal Sums the usage block of a result message. */
export function usageOf(result: ResultMessage | undefined): QueryUsage {
  const usage = (result?.usage ?? {}) as Record<string, unknown>;
  const num = (key: string): number =>
    typeof usage[key] === 'number' ? (usage[key] as number) : 0;
  return {
    inputTokens: num('input_tokens'),
    outputTokens: num('output_tokens'),
    cacheReadInputTokens: num('cache_read_input_tokens'),
    cacheCreationInputTokens: num('cache_creation_input_tokens'),
  };
}
