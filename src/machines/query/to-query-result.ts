import type { QueryContext } from './query-context.js';
import { usageOf } from './query-context.js';
import type { QueryResult } from './query-types.js';

/** @internal Builds the public result from the machine's final context. */
export function toQueryResult(context: QueryContext): QueryResult {
  const result = context.status === 'succeeded' ? context.result : undefined;
  const costNow =
    typeof context.result?.total_cost_usd === 'number' ? context.result.total_cost_usd : 0;
  return {
    status: context.status ?? 'failed',
    queryId: context.queryId,
    text: typeof result?.result === 'string' ? result.result : undefined,
    structuredOutput: context.options.outputSchema
      ? context.structuredOutput
      : result?.structured_output,
    sessionId: context.sessionId,
    costUsd: context.failedCostUsd + costNow,
    usage: usageOf(context.result),
    numTurns: typeof context.result?.num_turns === 'number' ? context.result.num_turns : 0,
    durationMs: (context.finishedAt ?? context.now()) - context.startedAt,
    durationApiMs:
      typeof context.result?.duration_api_ms === 'number'
        ? context.result.duration_api_ms
        : undefined,
    attempts: context.attempt,
    error: context.error,
    attemptErrors: context.attemptErrors,
    raw: context.result,
  };
}
