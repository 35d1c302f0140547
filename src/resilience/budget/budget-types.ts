import type { QueryResult } from '../../machines/query/query-types.js';
import type { BudgetExceededError } from '../errors/budget-exceeded-error.js';
import type { ResolvedBudgetOptions } from './budget-options.js';
import type { BudgetSpending } from './spending.js';
import type { Stats } from './stats.js';

/** A budget actor's context: plain JSON. */
export interface BudgetContext {
  /** Statistics since creation or the last reset. */
  readonly stats: Stats;
  /** Spending against the budgets; only `reset({ spending: true })` clears it. */
  readonly spending: BudgetSpending;
  /**
   * The limits in force (the validated options), published for `remainingUsd`. Absent in a
   * snapshot persisted before they were; the actor's own checks always use its options.
   */
  readonly limits?: ResolvedBudgetOptions;
}

/** Events a budget actor accepts (sent by `budgetClient`). */
export type BudgetEvent =
  | {
      readonly type: 'RESERVE';
      readonly requestId: string;
      readonly tags: readonly string[];
      readonly model?: string | undefined;
    }
  | {
      readonly type: 'RECORD';
      readonly requestId: string;
      readonly tags: readonly string[];
      readonly model?: string | undefined;
      readonly result: QueryResult;
    }
  | { readonly type: 'RESET'; readonly spending?: boolean | undefined }
  /**
   * Spending an earlier process recorded (a store): added to what this actor counted, or in
   * place of it with `replace` (a runtime's first load, which replaces the `restore` option's).
   */
  | {
      readonly type: 'RESTORE';
      readonly spending: BudgetSpending;
      readonly replace?: boolean | undefined;
    };

/** The answer to a `RESERVE`. */
export interface BudgetReply {
  readonly type: 'budget.reply';
  readonly requestId: string;
  /** Set when the query is refused. */
  readonly error?: BudgetExceededError | undefined;
}

/** Events a budget actor emits (`ref.on(type, ...)`). */
export type BudgetEmitted =
  | BudgetReply
  /** A recorded query spent the last of a budget: later queries with its tags are refused. */
  | { readonly type: 'budget.exhausted'; readonly error: BudgetExceededError };
