import type { Context } from '@opentelemetry/api';
import type { Observable } from 'rxjs';
import type { AnyActorRef } from 'xstate';
import type { QueryEvent, QueryResult } from '../machines/query/query-types.js';
import type { CliMessage } from '../protocol/cli-message.js';

/** Per-query settings of `Runtime.query` that are not CLI options. */
export interface RuntimeQueryOptions {
  /** Aborting cancels the query (as the query option `abortController` does). */
  readonly signal?: AbortSignal;
  /** Labels for grouping (stats and budgets use them). */
  readonly tags?: readonly string[];
  /** @defaultValue a random UUID */
  readonly queryId?: string;
  /** Higher is admitted first by the rate limiter. @defaultValue 0 */
  readonly priority?: number;
  /** While the circuit is open, wait for its half-open probe instead of failing fast. */
  readonly waitForHalfOpen?: boolean;
  /**
   * The OpenTelemetry context the query's `invoke_agent` spans are children of.
   * @defaultValue the context active when `query` is called (`context.active()`)
   */
  readonly traceContext?: Context;
}

/** A query started by a runtime. Its actor changes when the supervisor restarts it. */
export interface RuntimeQueryHandle {
  readonly queryId: string;
  readonly tags: readonly string[];
  /** Every event of every attempt; replays to late subscribers; completes with the query. */
  readonly events$: Observable<QueryEvent>;
  /**
   * The CLI messages of {@link RuntimeQueryHandle.events$}; control traffic is answered by the
   * query, not emitted (see `QueryHandle.messages$`).
   */
  readonly messages$: Observable<CliMessage>;
  /** Settles exactly once, across restarts; never rejects. */
  readonly result: Promise<QueryResult>;
  /** The actor running the current attempt, if any. */
  actor(): AnyActorRef | undefined;
  /** Cancels the query: its process is killed and the result is `cancelled`. */
  cancel(reason?: unknown): void;
}

/** A query the runtime is running, as `Runtime.running` reports it. */
export interface RunningQuery {
  readonly queryId: string;
  readonly tags: readonly string[];
  readonly attempts: number;
  /** The current actor's state value, e.g. `{ running: { attempt: 'streaming' } }`. */
  readonly state: unknown;
  readonly pid: number | undefined;
  readonly startedAt: number;
}
