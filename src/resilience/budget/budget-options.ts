import { z } from 'zod';

/** A budget in USD and/or tokens (input + output); an absent amount is unlimited. */
export const BudgetLimitSchema = z.strictObject({
  /** US dollars, as reported in `total_cost_usd`. */
  usd: z.number().nonnegative().optional(),
  /** Input + output tokens. */
  tokens: z.number().int().nonnegative().optional(),
});

/** Options of `createBudget`. */
export const BudgetOptionsSchema = z.strictObject({
  /** USD budget of the whole runtime. */
  totalUsd: z.number().nonnegative().optional(),
  /** Token budget (input + output) of the whole runtime. */
  totalTokens: z.number().int().nonnegative().optional(),
  /** Budgets per tag a caller attaches to a query. */
  perTag: z.record(z.string(), BudgetLimitSchema).default({}),
});

/** A budget in USD and/or tokens. */
export type BudgetLimit = z.output<typeof BudgetLimitSchema>;

/** Options of `createBudget`, as callers write them. */
export type BudgetOptions = z.input<typeof BudgetOptionsSchema>;

/** Options of `createBudget` with defaults applied. */
export type ResolvedBudgetOptions = z.output<typeof BudgetOptionsSchema>;
