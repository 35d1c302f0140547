import { CancelledError } from '../../core/errors/cancelled-error.js';
import type { QueryResult } from '../../machines/query/query-types.js';

/**
 * The result of a task run that never produced one: refused at admission, cancelled before it
 * ran, lost with Redis or never reached. No cost, no turns; `error` says why (a
 * `CancelledError` when none is given).
 */
export function emptyResult(
  queryId: string,
  sessionId: string | undefined,
  status: 'failed' | 'cancelled',
  error?: Error,
): QueryResult {
  const err = (error ??
    new CancelledError('the task was cancelled', { queryId })) as QueryResult['error'];
  return {
    status,
    queryId,
    text: undefined,
    structuredOutput: undefined,
    sessionId,
    costUsd: 0,
    usage: {
      inputTokens: 0,
      outputTokens: 0,
      cacheReadInputTokens: 0,
      cacheCreationInputTokens: 0,
    },
    numTurns: 0,
    durationMs: 0,
    durationApiMs: undefined,
    attempts: 0,
    error: err,
    attemptErrors: err ? [err] : [],
    raw: undefined,
  };
}
