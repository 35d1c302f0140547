import { type ActorRefFrom, assign, enqueueActions, type SnapshotFrom, setup } from 'xstate';
import { parseResilienceOptions } from '../shared/parse-resilience-options.js';
import { type BudgetOptions, BudgetOptionsSchema } from './budget-options.js';
import type { BudgetContext, BudgetEmitted, BudgetEvent } from './budget-types.js';
import { checkBudget } from './check-budget.js';
import { addSpending, NO_SPENDING, sumSpending } from './spending.js';
import { addRefusal, addResult, emptyStats, updateStats } from './stats.js';

function budgetMachine(limits: ReturnType<typeof parse>) {
  return setup({
    types: {
      context: {} as BudgetContext,
      events: {} as BudgetEvent,
      emitted: {} as BudgetEmitted,
    },
  }).createMachine({
    id: 'budget',
    context: () => ({ stats: emptyStats(Date.now()), spending: NO_SPENDING, limits }),
    on: {
      RESERVE: {
        actions: enqueueActions(({ context, event, enqueue }) => {
          const { requestId } = event;
          const error = checkBudget(limits, context.spending, event.tags, requestId);
          if (error) {
            const stats = updateStats(context.stats, event.model, event.tags, addRefusal);
            enqueue.assign({ stats, limits });
          } else if (context.limits !== limits) enqueue.assign({ limits });
          enqueue.emit({ type: 'budget.reply', requestId, error });
        }),
      },
      RECORD: {
        actions: enqueueActions(({ context, event, enqueue }) => {
          const { result, tags, model } = event;
          const tokens = result.usage.inputTokens + result.usage.outputTokens;
          const before = checkBudget(limits, context.spending, tags);
          const spending = addSpending(context.spending, tags, result.costUsd, tokens);
          const after = before ? undefined : checkBudget(limits, spending, tags);
          const stats = updateStats(context.stats, model, tags, (e) => addResult(e, result));
          enqueue.assign({ stats, spending, limits });
          if (after) enqueue.emit({ type: 'budget.exhausted', error: after });
        }),
      },
      RESTORE: {
        actions: assign(({ context, event }) => ({
          spending: event.replace ? event.spending : sumSpending(context.spending, event.spending),
          limits,
        })),
      },
      RESET: {
        actions: assign(({ context, event }) => ({
          stats: emptyStats(Date.now()),
          spending: event.spending ? NO_SPENDING : context.spending,
          limits,
        })),
      },
    },
  });
}

function parse(options: BudgetOptions | undefined) {
  return parseResilienceOptions(BudgetOptionsSchema, options, 'budget option');
}

/** The XState logic of a budget and stats actor. */
export type BudgetLogic = ReturnType<typeof budgetMachine>;

/** A running budget actor. */
export type BudgetRef = ActorRefFrom<BudgetLogic>;

/** A budget actor's snapshot; its `context` is plain JSON (stats and spending). */
export type BudgetSnapshot = SnapshotFrom<BudgetLogic>;

/**
 * Creates the logic of a budget and stats actor. It counts cost (`total_cost_usd`), tokens,
 * durations, successes, failures, cancellations and retries of every recorded query — in
 * total, per model and per tag — and refuses a new query with `BudgetExceededError` before it
 * starts when the runtime's budget or one of its tags' budgets (USD or tokens) is spent.
 *
 * Budgets are checked against what finished queries spent; to cap a running one, pass
 * `budgetClient(ref).remainingUsd(tags)` to the CLI as `maxBudgetUsd`. The persisted snapshot
 * is plain JSON: a restarted runtime remembers what was spent. The context also publishes the
 * limits in force (`limits`), which `budgetClient` reads for `remainingUsd`.
 *
 * @param options - Budgets of the runtime and per tag; all optional.
 * @throws {@link InvalidOptionsError} naming the bad option and the value received.
 * @example
 * ```ts
 * const budget = createActor(createBudget({ totalUsd: 5, perTag: { nightly: { usd: 1 } } }));
 * budget.start();
 * await budgetClient(budget).reserve({ requestId: 'q1', tags: ['nightly'] });
 * ```
 */
export function createBudget(options: BudgetOptions = {}): BudgetLogic {
  return budgetMachine(parse(options));
}
