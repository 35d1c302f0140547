import { type ActorRefFrom, fromTransition, type SnapshotFrom } from 'xstate';
import { parseResilienceOptions } from '../shared/parse-resilience-options.js';
import { type BudgetOptions, BudgetOptionsSchema } from './budget-options.js';
import type { BudgetContext, BudgetEmitted, BudgetEvent } from './budget-types.js';
import { checkBudget } from './check-budget.js';
import { addSpending, NO_SPENDING } from './spending.js';
import { addRefusal, addResult, emptyStats, updateStats } from './stats.js';

function budgetLogic(options: ReturnType<typeof parse>) {
  return fromTransition<
    BudgetContext,
    BudgetEvent,
    // biome-ignore lint/suspicious/noExplicitAny: XState's own AnyActorLogic uses ActorSystem<any>.
    any,
    unknown,
    BudgetEmitted
  >(
    (context, event, scope) => {
      switch (event.type) {
        case 'RESERVE': {
          const error = checkBudget(options, context.spending, event.tags, event.requestId);
          const { requestId } = event;
          scope.defer(() => scope.emit({ type: 'budget.reply', requestId, error }));
          if (!error) return context;
          const stats = updateStats(context.stats, event.model, event.tags, addRefusal);
          return { ...context, stats };
        }
        case 'RECORD': {
          const { result, tags, model } = event;
          const tokens = result.usage.inputTokens + result.usage.outputTokens;
          const before = checkBudget(options, context.spending, tags);
          const spending = addSpending(context.spending, tags, result.costUsd, tokens);
          const after = before ? undefined : checkBudget(options, spending, tags);
          if (after) scope.defer(() => scope.emit({ type: 'budget.exhausted', error: after }));
          const stats = updateStats(context.stats, model, tags, (e) => addResult(e, result));
          return { stats, spending };
        }
        case 'RESET':
          return {
            stats: emptyStats(Date.now()),
            spending: event.spending ? NO_SPENDING : context.spending,
          };
        default:
          return context;
      }
    },
    () => ({ stats: emptyStats(Date.now()), spending: NO_SPENDING }),
  );
}

function parse(options: BudgetOptions | undefined) {
  return parseResilienceOptions(BudgetOptionsSchema, options, 'budget option');
}

/** The XState logic of a budget and stats actor. */
export type BudgetLogic = ReturnType<typeof budgetLogic> & {
  /** The validated options. @internal */
  readonly budgetOptions: ReturnType<typeof parse>;
};

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
 * is the context, plain JSON: a restarted runtime remembers what was spent.
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
  const resolved = parse(options);
  const logic = budgetLogic(resolved);
  const transition = logic.transition;
  return Object.assign(logic, {
    budgetOptions: resolved,
    // `fromTransition` keeps an `active` status after a stop; clients check it before sending.
    transition: ((snapshot, event, scope) =>
      (event as { type: string }).type === 'xstate.stop'
        ? { ...snapshot, status: 'stopped' }
        : transition(snapshot, event, scope)) as typeof transition,
  });
}
