import { ReplaySubject } from 'rxjs';
import type { AnyActorRef } from 'xstate';
import { CancelledError } from '../core/errors/cancelled-error.js';
import type { ClaudeActorsError } from '../core/errors/claude-actors-error.js';
import type { ResolvedQueryOptions } from '../machines/query/options/query-options.js';
import type { QueryEvent, QueryPrompt, QueryResult } from '../machines/query/query-types.js';
import { unfinishedResult } from '../machines/query/unfinished-result.js';
import type { ExitReason } from '../supervisors/types.js';

/**
 * @internal One query of a runtime, across every actor instance that runs it: the supervisor
 * restarts instances, the ticket keeps the count, the history and the one promise to settle.
 */
export class QueryTicket {
  readonly startedAt = Date.now();
  readonly events = new ReplaySubject<QueryEvent>();
  /** Instances started so far (each is one attempt). */
  attempts = 0;
  /** Errors of instances that were restarted. */
  readonly attemptErrors: ClaudeActorsError[] = [];
  failedCostUsd = 0;
  /** Delay before the next instance's attempt (the restart backoff). */
  nextDelayMs = 0;
  /** The output of the latest instance that finished. */
  lastOutput: QueryResult | undefined;
  actor: AnyActorRef | undefined;
  childId: string | undefined;
  cancelled: { reason: unknown } | undefined;
  /** What the last instance crashed with, when it ended without output. */
  crashError: unknown;
  #settled = false;
  readonly result: Promise<QueryResult>;
  #resolve!: (result: QueryResult) => void;

  constructor(
    readonly queryId: string,
    readonly prompt: QueryPrompt,
    readonly options: ResolvedQueryOptions,
    readonly tags: readonly string[],
    readonly priority = 0,
    readonly waitForHalfOpen = false,
  ) {
    this.result = new Promise((resolve) => {
      this.#resolve = resolve;
    });
  }

  get settled(): boolean {
    return this.#settled;
  }

  /** Records an instance that failed and will be restarted. */
  recordFailedAttempt(output: QueryResult): void {
    if (output.error) this.attemptErrors.push(output.error);
    this.failedCostUsd += output.costUsd;
  }

  /** Settles the query, once: later calls do nothing (and return `undefined`). */
  settle(reason: ExitReason): QueryResult | undefined {
    if (this.#settled) return undefined;
    this.#settled = true;
    const out = this.lastOutput;
    const durationMs = Date.now() - this.startedAt;
    const result: QueryResult = out
      ? {
          ...out,
          attempts: Math.max(out.attempts, this.attempts),
          costUsd: this.failedCostUsd + out.costUsd,
          attemptErrors: [...this.attemptErrors, ...out.attemptErrors],
          durationMs,
        }
      : this.#withoutOutput(reason, durationMs);
    this.events.complete();
    this.#resolve(result);
    return result;
  }

  #withoutOutput(reason: ExitReason, durationMs: number): QueryResult {
    const abnormal = typeof reason === 'object' ? reason.abnormal : this.crashError;
    const error =
      abnormal instanceof Error && 'code' in abnormal
        ? (abnormal as ClaudeActorsError)
        : new CancelledError(
            this.cancelled?.reason ??
              (abnormal === undefined ? `the runtime stopped it (${String(reason)})` : abnormal),
            { queryId: this.queryId, attempt: this.attempts },
          );
    return unfinishedResult({
      queryId: this.queryId,
      status: error.code === 'CANCELLED' ? 'cancelled' : 'failed',
      error,
      costUsd: this.failedCostUsd,
      durationMs,
      attempts: this.attempts,
      attemptErrors: this.attemptErrors,
    });
  }
}
