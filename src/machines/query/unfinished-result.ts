import type { ClaudeActorsError } from '../../core/errors/claude-actors-error.js';
import type { QueryResult } from './query-types.js';

/** What is known of a query that ended without a result from the CLI. */
export interface UnfinishedQuery {
  readonly queryId: string;
  readonly status: 'failed' | 'cancelled';
  readonly error: ClaudeActorsError;
  readonly sessionId?: string | undefined;
  /** What its failed attempts cost. @defaultValue 0 */
  readonly costUsd?: number;
  readonly durationMs?: number;
  readonly attempts?: number;
  readonly attemptErrors?: readonly ClaudeActorsError[];
}

/**
 * The result of a query that never got (or never waited for) the CLI's result: cancelled,
 * stopped, refused, or not started at all. Everything else is empty or zero.
 */
export function unfinishedResult(query: UnfinishedQuery): QueryResult<never> {
  return {
    status: query.status,
    queryId: query.queryId,
    text: undefined,
    structuredOutput: undefined,
    sessionId: query.sessionId,
    costUsd: query.costUsd ?? 0,
    usage: {
      inputTokens: 0,
      outputTokens: 0,
      cacheReadInputTokens: 0,
      cacheCreationInputTokens: 0,
    },
    numTurns: 0,
    durationMs: query.durationMs ?? 0,
    durationApiMs: undefined,
    attempts: query.attempts ?? 0,
    error: query.error,
    attemptErrors: query.attemptErrors ?? [],
    raw: undefined,
  };
}
