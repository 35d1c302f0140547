import type { ResolvedQueryOptions } from '../options/query-options.js';
import { QueryHistory } from './query-history.js';

/**
 * @internal The empty history of a query starting at `startedAt`: its deadline is
 * `timeouts.totalMs` later (the whole query's, across attempts and restarts), and it resumes the
 * `sessionId` option, if any.
 */
export function startHistory(
  queryId: string,
  options: Pick<ResolvedQueryOptions, 'timeouts' | 'sessionId'>,
  startedAt: number,
): QueryHistory {
  const totalMs = options.timeouts.totalMs;
  return QueryHistory.start({
    queryId,
    startedAt,
    deadlineAt: totalMs === undefined ? undefined : startedAt + totalMs,
    sessionId: options.sessionId,
  });
}
