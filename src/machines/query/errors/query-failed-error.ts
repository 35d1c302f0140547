import { ClaudeActorsError, type ErrorContext } from '../../../core/errors/claude-actors-error.js';
import type { QueryErrorCode } from './query-error-code.js';

/**
 * The CLI finished the query with an error result that is not an API failure: it hit
 * `--max-turns` or `--max-budget-usd`, failed during execution, or could not produce valid
 * structured output. Not retryable: the same query would hit the same limit.
 */
export class QueryFailedError extends ClaudeActorsError {
  readonly code = 'QUERY_FAILED' satisfies QueryErrorCode;
  /** The result's `subtype`, e.g. `error_max_turns`. */
  readonly subtype: string;
  /** The result's `terminal_reason`, when given. */
  readonly terminalReason: string | undefined;
  readonly errors: readonly string[];

  constructor(
    details: {
      subtype: string;
      terminalReason?: string | undefined;
      errors?: readonly string[];
      detail?: string | undefined;
    },
    context: ErrorContext = {},
  ) {
    const why: Record<string, string> = {
      error_max_turns: 'it reached the maximum number of turns (maxTurns)',
      error_max_budget_usd: 'it reached its budget (maxBudgetUsd)',
      error_max_structured_output_retries: 'it could not produce output matching the JSON schema',
      error_during_execution: 'it failed during execution',
    };
    const extra = details.detail ?? details.errors?.join('; ');
    super(
      `The query ended in error because ${why[details.subtype] ?? `of ${details.subtype}`}` +
        `${details.terminalReason ? ` (terminal reason: ${details.terminalReason})` : ''}` +
        `${extra ? `: ${extra}` : ''}`,
      { ...context, retryable: false },
    );
    this.subtype = details.subtype;
    this.terminalReason = details.terminalReason;
    this.errors = details.errors ?? [];
  }
}
