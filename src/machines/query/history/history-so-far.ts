import type { QueryContext } from '../query-context.js';
import { attemptFactsOf } from './attempt-facts-of.js';
import type { QueryHistory } from './query-history.js';

/**
 * @internal The history of a query actor that may have stopped mid-attempt (stopped from
 * outside, or crashed): its attempt in flight, if any, recorded as `aborted`.
 */
export function historySoFar(context: QueryContext): QueryHistory {
  if (context.attemptStartedAt === undefined) return context.history;
  return context.history.record(attemptFactsOf(context, 'aborted'));
}
