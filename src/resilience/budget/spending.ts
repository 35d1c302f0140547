/** What was spent against budgets: plain JSON. */
export interface Spending {
  readonly usd: number;
  readonly tokens: number;
}

/** Spending of the runtime and of each tag. Kept apart from stats: resetting stats is not a refund. */
export interface BudgetSpending {
  readonly total: Spending;
  readonly byTag: Readonly<Record<string, Spending>>;
}

/** Nothing spent. */
export const NO_SPENDING: BudgetSpending = Object.freeze({
  total: Object.freeze({ usd: 0, tokens: 0 }),
  byTag: Object.freeze({}),
});

/**
 * `spending` plus `spentUsd` and `spentTokens`, counted in total and for each tag; a negative,
 * NaN or infinite figure counts as 0.
 */
export function addSpending(
  spending: BudgetSpending,
  tags: readonly string[],
  spentUsd: number,
  spentTokens: number,
): BudgetSpending {
  // Nothing can give a budget back: a negative, NaN or infinite figure counts as nothing.
  const usd = countable(spentUsd);
  const tokens = countable(spentTokens);
  const byTag = { ...spending.byTag };
  for (const tag of new Set(tags)) {
    const spent = byTag[tag] ?? { usd: 0, tokens: 0 };
    byTag[tag] = { usd: spent.usd + usd, tokens: spent.tokens + tokens };
  }
  return {
    total: { usd: spending.total.usd + usd, tokens: spending.total.tokens + tokens },
    byTag,
  };
}

/** Two spendings added up, in total and tag by tag. */
export function sumSpending(a: BudgetSpending, b: BudgetSpending): BudgetSpending {
  const byTag: Record<string, Spending> = { ...a.byTag };
  for (const [tag, spent] of Object.entries(b.byTag)) {
    const before = byTag[tag] ?? { usd: 0, tokens: 0 };
    byTag[tag] = { usd: before.usd + spent.usd, tokens: before.tokens + spent.tokens };
  }
  return {
    total: { usd: a.total.usd + b.total.usd, tokens: a.total.tokens + b.total.tokens },
    byTag,
  };
}

function countable(value: number): number {
  return Number.isFinite(value) && value > 0 ? value : 0;
}
