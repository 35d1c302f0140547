import type { RetryPolicy } from '../../../core/backoff/retry-policy.js';
import type { ClaudeActorsError } from '../../../core/errors/claude-actors-error.js';
import type { QueryResult } from '../query-types.js';
import { retryDelay } from '../retry/retry-delay.js';
import { type AttemptFacts, type AttemptRecord, costOf, usageOf } from './attempt-record.js';

/** Where a {@link QueryHistory} begins. */
export interface QueryHistoryStart {
  readonly queryId: string;
  /** Epoch ms. */
  readonly startedAt: number;
  /** When the whole query must be over (epoch ms), if ever. */
  readonly deadlineAt?: number | undefined;
  /** The session the query resumes (the `sessionId` option), if any. */
  readonly sessionId?: string | undefined;
}

/**
 * How a query ended, for {@link QueryHistory.toResult}:
 * - `succeeded`: its last attempt succeeded;
 * - `failed`: with `error`, or else its last attempt's error; an error that ended the query
 *   outside any attempt (the total timeout during a backoff) is also an attempt error when
 *   `countsAsAttemptError`;
 * - `cancelled`: with the cancellation, which is not an attempt error.
 */
export type QueryEnd =
  | { readonly status: 'succeeded'; readonly finishedAt: number }
  | {
      readonly status: 'failed';
      readonly finishedAt: number;
      readonly error?: ClaudeActorsError | undefined;
      readonly countsAsAttemptError?: boolean;
    }
  | {
      readonly status: 'cancelled';
      readonly finishedAt: number;
      readonly error: ClaudeActorsError;
    };

/**
 * Everything a query's attempts did, as one immutable value: every decision that spans
 * attempts (retry or not, how long to wait, the result over all attempts) is a function of it.
 * The query machine keeps it in its context; a supervisor restart continues it (the new actor's
 * input is the old one's final history), so in-actor retries and restarts count alike.
 *
 * @example
 * let history = QueryHistory.start({ queryId: 'q1', startedAt: Date.now() });
 * history = history.record({ attempt: 1, outcome: 'failed', error });
 * if (history.shouldRetry(policy, Date.now())) {
 *   history = history.retryIn(history.nextDelay(policy, Math.random, Date.now()));
 * }
 */
export class QueryHistory {
  readonly queryId: string;
  readonly startedAt: number;
  readonly deadlineAt: number | undefined;
  /** Every attempt recorded so far, in order. */
  readonly attempts: readonly AttemptRecord[];
  /** The backoff planned before the next attempt; `undefined` when no retry is planned. */
  readonly pendingDelayMs: number | undefined;
  /** The session the query resumed (the `sessionId` option), if any. */
  readonly startSessionId: string | undefined;

  private constructor(
    start: QueryHistoryStart,
    attempts: readonly AttemptRecord[],
    pendingDelayMs: number | undefined,
  ) {
    this.queryId = start.queryId;
    this.startedAt = start.startedAt;
    this.deadlineAt = start.deadlineAt;
    this.startSessionId = start.sessionId;
    this.attempts = Object.freeze(attempts);
    this.pendingDelayMs = pendingDelayMs;
    Object.freeze(this);
  }

  /** An empty history: no attempt yet. */
  static start(start: QueryHistoryStart): QueryHistory {
    return new QueryHistory(start, [], undefined);
  }

  /** The latest attempt, if any. */
  get last(): AttemptRecord | undefined {
    return this.attempts.at(-1);
  }

  /** The number the next attempt gets (1-based). */
  get nextAttempt(): number {
    return (this.last?.attempt ?? 0) + 1;
  }

  /** The last session id known: the latest attempt's, or the one the query resumed. */
  get sessionId(): string | undefined {
    for (let i = this.attempts.length - 1; i >= 0; i--) {
      const id = this.attempts[i]!.sessionId;
      if (id !== undefined) return id;
    }
    return this.startSessionId;
  }

  /** What every attempt cost, in USD. */
  get costUsd(): number {
    return this.attempts.reduce((sum, a) => sum + a.costUsd, 0);
  }

  /** The errors of the failed attempts, in order. */
  get errors(): readonly ClaudeActorsError[] {
    return this.attempts.flatMap((a) => (a.outcome === 'failed' && a.error ? [a.error] : []));
  }

  /** A retry is planned: {@link QueryHistory.retryIn} was called after the last attempt. */
  get retryPending(): boolean {
    return this.pendingDelayMs !== undefined;
  }

  /**
   * The history with one more attempt. Its `delayMs` defaults to the pending delay, which the
   * attempt consumes; cost and usage come from its result message.
   *
   * @throws RangeError when the attempt is not numbered {@link QueryHistory.nextAttempt}.
   */
  record(facts: AttemptFacts): QueryHistory {
    if (facts.attempt !== this.nextAttempt) {
      throw new RangeError(
        `QueryHistory of \`${this.queryId}\`: expected attempt ${this.nextAttempt}, got \`${facts.attempt}\``,
      );
    }
    const record: AttemptRecord = Object.freeze({
      attempt: facts.attempt,
      outcome: facts.outcome,
      error: facts.error,
      result: facts.result,
      structuredOutput: facts.structuredOutput,
      sessionId: facts.sessionId ?? facts.result?.session_id ?? this.sessionId,
      costUsd: costOf(facts.result),
      usage: Object.freeze(usageOf(facts.result)),
      durationMs: facts.durationMs ?? 0,
      delayMs: facts.delayMs ?? this.pendingDelayMs ?? 0,
      parked: facts.parked ?? false,
    });
    return new QueryHistory(this.#start(), [...this.attempts, record], undefined);
  }

  /** Attempts that count against `retry.maxAttempts`: every one but the parked. */
  get countedAttempts(): number {
    return this.attempts.reduce((n, a) => (a.parked ? n : n + 1), 0);
  }

  /**
   * The history with a retry planned `delayMs` from now. After a parked attempt the wait is
   * the time parked: the deadline moves by as much, so it is not counted.
   */
  retryIn(delayMs: number): QueryHistory {
    const delay = Math.max(0, delayMs);
    const start = this.#start();
    const moved =
      this.last?.parked && start.deadlineAt !== undefined
        ? { ...start, deadlineAt: start.deadlineAt + delay }
        : start;
    return new QueryHistory(moved, this.attempts, delay);
  }

  /**
   * Whether another attempt may start at `now`: attempts are left under `maxAttempts` (parked
   * ones not counted) and the deadline has not passed. (Whether one *should* is {@link QueryHistory.shouldRetry}.)
   */
  canAttemptAgain(policy: Pick<RetryPolicy, 'maxAttempts'>, now: number): boolean {
    if (this.countedAttempts >= policy.maxAttempts) return false;
    return this.deadlineAt === undefined || now < this.deadlineAt;
  }

  /** Whether the last attempt failed with a retryable error and another attempt may start. */
  shouldRetry(policy: Pick<RetryPolicy, 'maxAttempts'>, now: number): boolean {
    const last = this.last;
    if (last?.outcome !== 'failed' || !last.error?.retryable) return false;
    return this.canAttemptAgain(policy, now);
  }

  /**
   * The backoff before retrying the last attempt: the policy's delay for that attempt, never
   * less than the wait its error asks for (`retry-after`, an open breaker's next probe).
   */
  nextDelay(policy: RetryPolicy, random: () => number, now: number): number {
    const last = this.last;
    // The backoff grows with the attempts that count: a parked one waits for its reset only.
    return retryDelay(policy, Math.max(1, this.countedAttempts), last?.error, random, () => now);
  }

  /** The public result of the query, over every attempt. */
  toResult<T = unknown>(end: QueryEnd): QueryResult<T> {
    const last = this.last;
    const final = last?.result;
    const succeeded = end.status === 'succeeded';
    const error = end.status === 'succeeded' ? undefined : (end.error ?? last?.error);
    const extra = end.status === 'failed' && end.countsAsAttemptError && end.error;
    return {
      status: end.status,
      queryId: this.queryId,
      text: succeeded && typeof final?.result === 'string' ? final.result : undefined,
      structuredOutput: succeeded ? (last?.structuredOutput as T | undefined) : undefined,
      sessionId: this.sessionId,
      costUsd: this.costUsd,
      usage: last?.usage ?? usageOf(undefined),
      numTurns: typeof final?.num_turns === 'number' ? final.num_turns : 0,
      durationMs: end.finishedAt - this.startedAt,
      durationApiMs: typeof final?.duration_api_ms === 'number' ? final.duration_api_ms : undefined,
      attempts: this.attempts.length,
      error,
      attemptErrors: extra ? [...this.errors, extra] : this.errors,
      raw: final,
    };
  }

  #start(): QueryHistoryStart {
    return {
      queryId: this.queryId,
      startedAt: this.startedAt,
      deadlineAt: this.deadlineAt,
      sessionId: this.startSessionId,
    };
  }
}
