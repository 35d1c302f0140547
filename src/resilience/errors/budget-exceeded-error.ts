import { ClaudeActorsError, type ErrorContext } from '../../core/errors/claude-actors-error.js';
import type { ResilienceErrorCode } from './resilience-error-code.js';

/** Which budget ran out: the whole runtime's, or one tag's. */
export type BudgetScope = 'runtime' | 'tag';

/** What a budget counts: US dollars, or tokens (input + output). */
export type BudgetUnit = 'usd' | 'tokens';

/**
 * A budget is spent, so the query was refused before any process started. Not retryable:
 * raise the budget or reset the spending first.
 */
export class BudgetExceededError extends ClaudeActorsError {
  /** Always `BUDGET_EXCEEDED`. */
  readonly code = 'BUDGET_EXCEEDED' satisfies ResilienceErrorCode;
  /** `runtime` for the runtime-wide budget, `tag` for a per-tag budget (see {@link tag}). */
  readonly scope: BudgetScope;
  /** The tag whose budget is spent, when {@link scope} is `tag`. */
  readonly tag: string | undefined;
  /** What the exhausted budget counts. */
  readonly unit: BudgetUnit;
  /** The budget, in {@link unit}. */
  readonly limit: number;
  /** What was spent so far, in {@link unit}. */
  readonly spent: number;

  /**
   * @param details - The exhausted budget.
   * @param context - The query refused, when known.
   */
  constructor(
    details: {
      scope: BudgetScope;
      tag?: string | undefined;
      unit: BudgetUnit;
      limit: number;
      spent: number;
    },
    context: ErrorContext = {},
  ) {
    const whose = details.scope === 'runtime' ? 'the runtime' : `tag \`${details.tag}\``;
    const amount = (n: number) => (details.unit === 'usd' ? `$${n.toFixed(4)}` : `${n} tokens`);
    super(
      `The ${details.unit === 'usd' ? 'USD' : 'token'} budget of ${whose} is spent ` +
        `(${amount(details.spent)} of ${amount(details.limit)}), so the query was not started. ` +
        'Raise the budget or reset the spending.',
      { ...context, retryable: false },
    );
    this.scope = details.scope;
    this.tag = details.tag;
    this.unit = details.unit;
    this.limit = details.limit;
    this.spent = details.spent;
  }
}
