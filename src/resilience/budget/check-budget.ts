import { BudgetExceededError } from '../errors/budget-exceeded-error.js';
import type { ResolvedBudgetOptions } from './budget-options.js';
import type { BudgetSpending } from './spending.js';

/**
 * The error refusing a query with these tags, or `undefined` if every budget that applies has
 * something left. The runtime's budgets are checked first, then each tag's in order.
 */
export function checkBudget(
  options: ResolvedBudgetOptions,
  spending: BudgetSpending,
  tags: readonly string[],
  queryId?: string,
): BudgetExceededError | undefined {
  const context = { queryId };
  const { total } = spending;
  if (options.totalUsd !== undefined && total.usd >= options.totalUsd) {
    return new BudgetExceededError(
      { scope: 'runtime', unit: 'usd', limit: options.totalUsd, spent: total.usd },
      context,
    );
  }
  if (options.totalTokens !== undefined && total.tokens >= options.totalTokens) {
    return new BudgetExceededError(
      { scope: 'runtime', unit: 'tokens', limit: options.totalTokens, spent: total.tokens },
      context,
    );
  }
  for (const tag of tags) {
    const limit = options.perTag[tag];
    if (!limit) continue;
    const spent = spending.byTag[tag] ?? { usd: 0, tokens: 0 };
    if (limit.usd !== undefined && spent.usd >= limit.usd) {
      return new BudgetExceededError(
        { scope: 'tag', tag, unit: 'usd', limit: limit.usd, spent: spent.usd },
        context,
      );
    }
    if (limit.tokens !== undefined && spent.tokens >= limit.tokens) {
      return new BudgetExceededError(
        { scope: 'tag', tag, unit: 'tokens', limit: limit.tokens, spent: spent.tokens },
        context,
      );
    }
  }
  return undefined;
}

/**
 * USD left for a query with these tags: the least left over the runtime's USD budget and the
 * USD budgets of its tags, never below 0; `undefined` when no USD budget applies. Pass it to
 * the CLI as `maxBudgetUsd` so a running query is capped too.
 */
export function remainingUsd(
  options: ResolvedBudgetOptions,
  spending: BudgetSpending,
  tags: readonly string[],
): number | undefined {
  let least: number | undefined;
  const consider = (limit: number | undefined, spent: number) => {
    if (limit === undefined) return;
    const left = Math.max(0, limit - spent);
    least = least === undefined ? left : Math.min(least, left);
  };
  consider(options.totalUsd, spending.total.usd);
  for (const tag of tags) consider(options.perTag[tag]?.usd, spending.byTag[tag]?.usd ?? 0);
  return least;
}
