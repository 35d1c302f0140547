import type { AnyActorRef } from 'xstate';
import { type AnyActorLogic, fromPromise } from 'xstate';
import { CancelledError } from '../core/errors/cancelled-error.js';
import { toLimiterSignal } from '../machines/query/classify/to-limiter-signal.js';
import { RateLimitedError } from '../machines/query/errors/rate-limited-error.js';
import { usageOf } from '../machines/query/history/attempt-record.js';
import type { AdmissionInput, AttemptReport, QueryResult } from '../machines/query/query-types.js';
import type { TurnAdmission, TurnOutcome } from '../machines/session/turn-admission.js';
import type { CliMessage } from '../protocol/cli-message.js';
import {
  type CircuitBreakerClient,
  circuitBreakerClient,
} from '../resilience/breaker/circuit-breaker-client.js';
import { type BudgetClient, budgetClient } from '../resilience/budget/budget-client.js';
import type { BudgetOptions } from '../resilience/budget/budget-options.js';
import { addResult, emptyStats, type Stats, updateStats } from '../resilience/budget/stats.js';
import {
  type RateLimiterClient,
  rateLimiterClient,
} from '../resilience/limiter/rate-limiter-client.js';
import type { RuntimeSnapshot } from './runtime-snapshot.js';
import type { SystemRefs } from './system-refs.js';

/** What the system actors need to know of the runtime's options. */
export interface SystemActorsOptions {
  /** Without a budget actor (`false`), the stats are kept here. */
  readonly budget: BudgetOptions | false;
  /**
   * Settles once the state kept in the runtime's store is loaded into the actors: admission
   * waits for it, so no query starts into a recorded usage limit. Absent without a store.
   */
  readonly ready?: () => Promise<void>;
}

/** What admission needs to know of a query besides its input. */
export interface QueryAdmissionInfo {
  readonly tags: readonly string[];
  readonly priority: number;
  readonly waitForHalfOpen: boolean;
}

const PERSISTED = ['limiter', 'breaker', 'budget'] as const;
const ADMISSION_CODES: ReadonlySet<string> = new Set([
  'BUDGET_EXCEEDED',
  'CIRCUIT_OPEN',
  'RATE_LIMIT_QUEUE_FULL',
]);

/**
 * @internal Everything queries do with the runtime's shared system actors (rate limiter,
 * circuit breaker, budget and stats, found by `systemId` through {@link SystemRefs}, so a
 * restarted actor is used at once): admission before each attempt (limiter → breaker →
 * budget), the attempt's outcome after it, the CLI's own rate-limit signals, stats per query,
 * and persistence.
 */
export class SystemActors {
  /** Permits granted and not yet reported, by request id → query id. */
  readonly #held = new Map<string, string>();
  readonly #options: SystemActorsOptions;
  readonly #info: (queryId: string) => QueryAdmissionInfo | undefined;
  readonly #refs: SystemRefs;
  /** Admissions waiting in the limiter's queue: each is parked when a pause starts. */
  readonly #queued = new Set<(until: number, reason: string | undefined) => void>();
  /** Limiter actors whose pauses are followed (a restarted limiter is a new actor). */
  readonly #followed = new WeakSet<AnyActorRef>();
  /** The stats kept here when there is no budget actor (`budget: false`), so there are always stats. */
  #ownStats: Stats = emptyStats(Date.now());

  constructor(
    options: SystemActorsOptions,
    info: (queryId: string) => QueryAdmissionInfo | undefined,
    refs: SystemRefs,
  ) {
    this.#options = options;
    this.#info = info;
    this.#refs = refs;
  }

  /** A client of the live rate limiter, if the runtime has one. */
  get limiter(): RateLimiterClient | undefined {
    return this.#refs.client('limiter', rateLimiterClient);
  }

  /** A client of the live circuit breaker, if the runtime has one. */
  get breaker(): CircuitBreakerClient | undefined {
    return this.#refs.client('breaker', circuitBreakerClient);
  }

  /** A client of the live budget, if the runtime has one. */
  get budget(): BudgetClient | undefined {
    return this.#refs.client('budget', budgetClient);
  }

  /** The limiter's park horizon (ms): parking applies to queries only with a limiter. */
  parkHorizonMs(): number | undefined {
    return this.limiter?.state().parkHorizonMs;
  }

  /** The admission actor of every attempt: limiter → breaker → budget, in that order. */
  admission(): AnyActorLogic {
    return fromPromise<unknown, AdmissionInput>(async ({ input, signal }) =>
      // A query with a deadline is parked (restarted at the reset, its deadline moved); one
      // without waits in the limiter's queue through a pause, in its order.
      this.#admit(
        input,
        this.#info(input.queryId),
        input.options.model,
        signal,
        input.options.timeouts.totalMs !== undefined,
      ),
    );
  }

  /**
   * Admission and accounting of a session's turns, the same as a query attempt's: each turn
   * waits for the limiter, meets the breaker (waiting for its half-open probe rather than
   * failing) and the budget; its end frees the permit, feeds the breaker and the limiter, and
   * counts its cost and tokens in the stats (tagged `session`).
   */
  turnAdmission(sessionKey: string, model: string | undefined): TurnAdmission {
    const info: QueryAdmissionInfo = { tags: ['session'], priority: 0, waitForHalfOpen: true };
    const turn = (turnId: string) => ({ queryId: `${sessionKey}/${turnId}`, attempt: 1 });
    return {
      admit: async (turnId) => {
        // A turn waits in the limiter's queue through a pause: a session cannot be parked.
        await this.#admit(turn(turnId), info, model, new AbortController().signal, false);
      },
      settled: (turnId, outcome) => {
        const { queryId, attempt } = turn(turnId);
        const result = outcome.ok ? outcome.result : undefined;
        this.report({
          queryId,
          attempt,
          outcome: outcome.ok ? { ok: true } : { ok: false, error: outcome.error },
          result,
        });
        this.#record(
          queryId,
          info.tags,
          model ?? modelOf({ raw: result } as QueryResult),
          turnResult(queryId, outcome),
        );
      },
    };
  }

  async #admit(
    input: { readonly queryId: string; readonly attempt: number },
    info: QueryAdmissionInfo | undefined,
    model: string | undefined,
    signal: AbortSignal,
    park: boolean,
  ): Promise<{ requestId: string }> {
    {
      const requestId = attemptId(input);
      if (this.#options.ready) await this.#options.ready();
      const { limiter, breaker, budget } = this;
      if (limiter && park) await this.#acquire(limiter, input, info, signal);
      else await limiter?.acquire({ requestId, priority: info?.priority ?? 0 }, signal);
      try {
        await breaker?.allow(
          { requestId, waitForHalfOpen: info?.waitForHalfOpen ?? false },
          signal,
        );
        await budget?.reserve({ requestId, tags: info?.tags ?? [], model });
        // Cancelled while the breaker or the budget answered: nobody will use the permit.
        if (signal.aborted) throw new CancelledError(signal.reason);
      } catch (error) {
        this.#returnPermit(requestId, 'not admitted');
        throw error;
      }
      this.#held.set(requestId, input.queryId);
      return { requestId };
    }
  }

  /**
   * A permit from the limiter, or a `RateLimitedError` while it is paused (until a rate limit
   * resets, within its horizon): the query is parked, restarted at the reset, and neither its
   * attempts nor its deadline pay for the wait (a restart re-arms its total timeout from the
   * moved deadline; a query without one just waits in the queue). A pause that starts while the query waits in
   * the queue parks it too. Beyond the horizon the limiter itself refuses (`UsageLimitError`).
   */
  async #acquire(
    limiter: RateLimiterClient,
    input: { readonly queryId: string; readonly attempt: number },
    info: QueryAdmissionInfo | undefined,
    signal: AbortSignal,
  ): Promise<void> {
    const context = { queryId: input.queryId, attempt: input.attempt };
    const now = Date.now();
    const state = limiter.state();
    if (state.pausedUntil !== undefined && state.pausedUntil - now <= state.parkHorizonMs) {
      throw new RateLimitedError(
        { resetsAt: state.pausedUntil, reason: state.pauseReason },
        context,
      );
    }
    this.#followPauses();
    // One controller for both: the caller's abort, and a pause that parks this admission.
    const waiting = new AbortController();
    const onAbort = (): void => waiting.abort(signal.reason);
    if (signal.aborted) onAbort();
    else signal.addEventListener('abort', onAbort, { once: true });
    let parkedAt: { resetsAt: number; reason: string | undefined } | undefined;
    const park = (until: number, reason: string | undefined): void => {
      parkedAt = { resetsAt: until, reason };
      waiting.abort();
    };
    this.#queued.add(park);
    try {
      await limiter.acquire(
        { requestId: attemptId(input), priority: info?.priority ?? 0 },
        waiting.signal,
      );
    } catch (error) {
      if (parkedAt && !signal.aborted) throw new RateLimitedError(parkedAt, context);
      throw error;
    } finally {
      this.#queued.delete(park);
      signal.removeEventListener('abort', onAbort);
    }
  }

  /** Parks the queued admissions when the live limiter pauses within its horizon. */
  #followPauses(): void {
    const ref = this.#refs.live('limiter');
    if (!ref || this.#followed.has(ref)) return;
    this.#followed.add(ref);
    ref.on('limiter.paused', (event: { until: number; reason: string | undefined }) => {
      const horizon = this.limiter?.state().parkHorizonMs ?? 0;
      // Beyond the horizon the limiter fails its queue itself, with the reset time.
      if (event.until - Date.now() > horizon) return;
      for (const park of [...this.#queued]) park(event.until, event.reason);
    });
  }

  /**
   * Returns the permits a query still holds: its actor was stopped mid-attempt (a supervisor
   * killed it), so no report will come. Runs after any report already on its way.
   */
  abandon(queryId: string): void {
    queueMicrotask(() => {
      for (const [requestId, owner] of this.#held) {
        if (owner === queryId) this.#returnPermit(requestId, 'abandoned');
      }
    });
  }

  #returnPermit(requestId: string, why: string): void {
    this.#held.delete(requestId);
    this.limiter?.release(requestId);
    // Neutral for the breaker (not an API failure), and it frees a half-open probe slot.
    this.breaker?.record(requestId, { ok: false, error: new CancelledError(why) });
  }

  /** How an admitted attempt ended: frees its permit, tells the breaker, feeds the limiter. */
  report(report: AttemptReport | undefined): void {
    if (!report) return;
    const requestId = attemptId(report);
    this.#held.delete(requestId);
    const outcome = report.outcome;
    // Signal first, then release: the limiter must be paused before the freed slot can go to
    // the next queued query, or that query starts into the very 429 that just failed this one.
    if (outcome.ok === false) this.#signal(outcome.error);
    const usage = report.result?.usage as
      | { input_tokens?: number; output_tokens?: number }
      | undefined;
    this.limiter?.release(requestId, {
      usage: usage
        ? { inputTokens: usage.input_tokens ?? 0, outputTokens: usage.output_tokens ?? 0 }
        : undefined,
    });
    if (outcome.ok === true) this.breaker?.record(requestId, { ok: true });
    else if (outcome.ok === false)
      this.breaker?.record(requestId, { ok: false, error: outcome.error });
    else this.breaker?.record(requestId, { ok: false, error: new CancelledError('aborted') });
  }

  /** A CLI message that says the API is rate limited or overloaded pauses admission. */
  observe(message: CliMessage): void {
    if (message.type === 'system' || message.type === 'rate_limit_event') this.#signal(message);
  }

  /**
   * Records a finished query in the stats (cost, tokens, duration, outcome, retries). A query
   * refused at admission never ran: the budget counts its own refusals, the rest are not stats.
   */
  record(
    queryId: string,
    tags: readonly string[],
    model: string | undefined,
    result: QueryResult,
  ): void {
    if (result.error && ADMISSION_CODES.has(result.error.code)) return;
    this.#record(queryId, tags, model ?? modelOf(result), result);
  }

  #record(
    requestId: string,
    tags: readonly string[],
    model: string | undefined,
    result: QueryResult,
  ): void {
    if (this.#options.budget) {
      this.budget?.record({ requestId, tags, model, result });
      return;
    }
    this.#ownStats = updateStats(this.#ownStats, model, tags, (entry) => addResult(entry, result));
  }

  /** The USD left for queries with these tags (for `--max-budget-usd`). */
  remainingUsd(tags: readonly string[]): number | undefined {
    return this.budget?.remainingUsd(tags);
  }

  /** The budget actor's stats; without a budget actor, the ones kept here. */
  stats(): Stats {
    return this.budget?.stats() ?? this.#ownStats;
  }

  /** The persisted state of every system actor now. */
  snapshot(): RuntimeSnapshot {
    const out: Record<string, unknown> = {};
    for (const name of PERSISTED) {
      const ref = this.#refs.live(name);
      if (ref?.getSnapshot().status === 'active') out[name] = ref.getPersistedSnapshot();
    }
    return out;
  }

  #signal(source: unknown): void {
    const signal = toLimiterSignal(source);
    if (signal) this.limiter?.signal(signal);
  }
}

function attemptId(of: { readonly queryId: string; readonly attempt: number }): string {
  return `${of.queryId}#${of.attempt}`;
}

function modelOf(result: QueryResult): string | undefined {
  const usage = result.raw?.modelUsage;
  return usage ? Object.keys(usage)[0] : undefined;
}

/** A session turn as the stats count it: one attempt, its own cost and tokens. */
function turnResult(queryId: string, outcome: TurnOutcome): QueryResult {
  const result = outcome.ok ? outcome.result : undefined;
  return {
    status: outcome.ok ? 'succeeded' : 'failed',
    queryId,
    text: typeof result?.result === 'string' ? result.result : undefined,
    structuredOutput: undefined,
    sessionId: typeof result?.session_id === 'string' ? result.session_id : undefined,
    costUsd: outcome.ok ? outcome.turnCostUsd : 0,
    usage: usageOf(result),
    numTurns: typeof result?.num_turns === 'number' ? result.num_turns : 0,
    durationMs: outcome.durationMs,
    durationApiMs: typeof result?.duration_api_ms === 'number' ? result.duration_api_ms : undefined,
    attempts: 1,
    error: outcome.ok ? undefined : outcome.error,
    attemptErrors: outcome.ok ? [] : [outcome.error],
    raw: result,
  };
}
