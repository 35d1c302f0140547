import { ReplaySubject } from 'rxjs';
import type { AnyActorRef } from 'xstate';
import { CancelledError } from '../core/errors/cancelled-error.js';
import type { ClaudeActorsError } from '../core/errors/claude-actors-error.js';
import { historySoFar } from '../machines/query/history/history-so-far.js';
import type { QueryHistory } from '../machines/query/history/query-history.js';
import { startHistory } from '../machines/query/history/start-history.js';
import type { ResolvedQueryOptions } from '../machines/query/options/query-options.js';
import type { QueryContext } from '../machines/query/query-context.js';
import type { QueryEvent, QueryPrompt, QueryResult } from '../machines/query/query-types.js';
import type { ExitReason } from '../supervisors/types.js';
import type { QueryObserver } from '../telemetry/runtime-telemetry.js';

type InstanceSnapshot = {
  readonly status: string;
  readonly context: QueryContext;
  readonly output?: QueryResult;
  readonly error?: unknown;
};

/**
 * @internal One query of a runtime, across every actor instance that runs it (the supervisor
 * restarts instances): its events, the one promise to settle, and where its history is. The
 * history itself is the instances': each starts from the last one's and ends with its own.
 */
export class QueryTicket {
  readonly events = new ReplaySubject<QueryEvent>();
  childId: string | undefined;
  cancelled: { reason: unknown } | undefined;
  /** Traces, metrics and plugins of the query: told of each attempt and of the result. */
  observer: QueryObserver | undefined;
  /** The history before the first instance (after settling: the final one). */
  #initial: QueryHistory;
  #actor: AnyActorRef | undefined;
  /** The latest instance, kept after it ended: its final context holds the history. */
  #latest: AnyActorRef | undefined;
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
    // `timeouts.totalMs` is the whole query's: every instance keeps the first one's clock.
    this.#initial = startHistory(queryId, options, Date.now());
    this.result = new Promise((resolve) => {
      this.#resolve = resolve;
    });
  }

  get startedAt(): number {
    return this.#initial.startedAt;
  }

  /** The running instance, if any. */
  get actor(): AnyActorRef | undefined {
    return this.#actor;
  }

  set actor(ref: AnyActorRef | undefined) {
    this.#actor = ref;
    if (ref) this.#latest = ref;
  }

  /** The query's history so far: the latest instance's (its attempt in flight included). */
  get history(): QueryHistory {
    const snapshot = this.#latest?.getSnapshot() as InstanceSnapshot | undefined;
    return snapshot ? historySoFar(snapshot.context) : this.#initial;
  }

  /** The number of the attempt running or about to run (0 before the first instance). */
  get attempts(): number {
    const snapshot = this.#actor?.getSnapshot() as InstanceSnapshot | undefined;
    return snapshot?.status === 'active' ? snapshot.context.attempt : this.history.attempts.length;
  }

  get settled(): boolean {
    return this.#settled;
  }

  /** Settles the query, once: later calls do nothing (and return `undefined`). */
  settle(reason: ExitReason): QueryResult | undefined {
    if (this.#settled) return undefined;
    this.#settled = true;
    const snapshot = this.#latest?.getSnapshot() as InstanceSnapshot | undefined;
    // The latest instance's output already covers every attempt (its history continued theirs).
    const result =
      snapshot?.status === 'done' && snapshot.output
        ? snapshot.output
        : this.#withoutOutput(reason, snapshot);
    // Settled: the history is all that is left to read; the instances may go.
    this.#initial = this.history;
    this.#latest = undefined;
    this.events.complete();
    this.#resolve(result);
    this.observer?.settled(result);
    return result;
  }

  #withoutOutput(reason: ExitReason, snapshot: InstanceSnapshot | undefined): QueryResult {
    const history = this.history;
    const abnormal =
      typeof reason === 'object'
        ? reason.abnormal
        : snapshot?.status === 'error'
          ? snapshot.error
          : undefined;
    const error =
      abnormal instanceof Error && 'code' in abnormal
        ? (abnormal as ClaudeActorsError)
        : new CancelledError(
            this.cancelled?.reason ??
              (abnormal === undefined ? `the runtime stopped it (${String(reason)})` : abnormal),
            { queryId: this.queryId, attempt: history.attempts.length },
          );
    return history.toResult({
      status: error.code === 'CANCELLED' ? 'cancelled' : 'failed',
      error,
      finishedAt: Date.now(),
    });
  }
}
