import type { QueryContext } from '../query-context.js';
import type { AttemptFacts, AttemptOutcome } from './attempt-record.js';

/** @internal The facts of the query machine's current attempt, for its record in the history. */
export function attemptFactsOf(context: QueryContext, outcome: AttemptOutcome): AttemptFacts {
  return {
    attempt: context.attempt,
    outcome,
    error: outcome === 'failed' ? context.attemptError : undefined,
    result: context.result,
    structuredOutput: context.options.outputSchema
      ? context.structuredOutput
      : context.result?.structured_output,
    sessionId: context.sessionId,
    durationMs: context.now() - (context.attemptStartedAt ?? context.now()),
  };
}
