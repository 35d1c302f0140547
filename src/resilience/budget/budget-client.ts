import type { Observable } from 'rxjs';
import type { AnyActorRef } from 'xstate';
import { isActive } from '../../core/actor/is-active.js';
import { observeActor } from '../../core/actor/observe-actor.js';
import { requestReply } from '../../core/actor/request-reply.js';
import { CancelledError } from '../../core/errors/cancelled-error.js';
import type { QueryResult } from '../../machines/query/query-types.js';
import { cancelledIfStopped } from '../shared/request-cancelled.js';
import type { ResolvedBudgetOptions } from './budget-options.js';
import type { BudgetContext, BudgetEvent, BudgetReply } from './budget-types.js';
import { remainingUsd } from './check-budget.js';
import type { BudgetRef } from './create-budget.js';
import type { Stats } from './stats.js';

/** What identifies a query to the budget. */
export interface BudgetRequest {
  /** Usually the query id. */
  readonly requestId: string;
  /** Tags the caller attached to the query; each has its own stats and maybe a budget. */
  readonly tags: readonly string[];
  /** The model, for per-model stats. @defaultValue `unknown` */
  readonly model?: string | undefined;
}

/** The Promise API of a budget actor. */
export interface BudgetClient {
  /**
   * Resolves when every budget that applies has something left.
   * @throws `BudgetExceededError` (scope, tag, unit, limit, spent) when one is spent;
   *   {@link CancelledError} when the budget actor is not running.
   */
  reserve(request: BudgetRequest): Promise<void>;
  /** Records a finished query: cost, tokens, duration, outcome, retries (`attempts - 1`). */
  record(request: BudgetRequest & { readonly result: QueryResult }): void;
  /**
   * USD left for a query with these tags (least over the runtime's and its tags' USD budgets,
   * never negative), to pass as `maxBudgetUsd`; `undefined` when no USD budget applies.
   */
  remainingUsd(tags: readonly string[]): number | undefined;
  /** Statistics now. */
  stats(): Stats;
  /** Statistics now, then after each change; completes when the actor stops. */
  readonly stats$: Observable<Stats>;
  /** Clears the statistics; with `spending: true`, the budgets' spending too. */
  reset(options?: { readonly spending?: boolean }): void;
}

function contextOf(snapshot: unknown): BudgetContext {
  return (snapshot as { context: BudgetContext }).context;
}

/**
 * Wraps a budget actor (started with `createActor`, or a supervisor's child) in a Promise API.
 *
 * @example
 * ```ts
 * const budget = budgetClient(ref);
 * await budget.reserve({ requestId: id, tags: ['nightly'] });
 * const maxBudgetUsd = budget.remainingUsd(['nightly']);
 * ```
 */
export function budgetClient(ref: BudgetRef | AnyActorRef): BudgetClient {
  const send = (event: BudgetEvent): void => {
    if (isActive(ref)) ref.send(event);
  };
  const options = (): ResolvedBudgetOptions => {
    return contextOf(ref.getSnapshot()).limits ?? { perTag: {} };
  };
  return {
    reserve: (request) => {
      const { requestId } = request;
      return requestReply<BudgetReply, void>(ref, {
        replyType: 'budget.reply',
        requestId,
        send: () =>
          ref.send({
            type: 'RESERVE',
            requestId,
            tags: request.tags,
            model: request.model,
          } satisfies BudgetEvent),
        onReply: (reply) => {
          if (reply.error) throw reply.error;
        },
        onStopped: cancelledIfStopped('the budget actor', requestId),
      });
    },
    record: (request) =>
      send({
        type: 'RECORD',
        requestId: request.requestId,
        tags: request.tags,
        model: request.model,
        result: request.result,
      }),
    remainingUsd: (tags) => remainingUsd(options(), contextOf(ref.getSnapshot()).spending, tags),
    stats: () => contextOf(ref.getSnapshot()).stats,
    stats$: observeActor(ref, (snapshot) => contextOf(snapshot).stats),
    reset: (resetOptions) => send({ type: 'RESET', spending: resetOptions?.spending }),
  };
}
