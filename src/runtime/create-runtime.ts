import { randomUUID } from 'node:crypto';
import { Observable, type Observable as ObservableType } from 'rxjs';
import { type AnyActorRef, createActor } from 'xstate';
import { scrubbingLogger } from '../core/logging/scrubbing-logger.js';
import { redactingObserver } from '../core/redaction/redact-inspection-event.js';
import { normalizeAgentSdkOptions } from '../machines/query/options/agent-sdk-options.js';
import { parseQueryOptions } from '../machines/query/options/parse-options.js';
import { parsePrompt } from '../machines/query/options/parse-prompt.js';
import type { QueryOptions } from '../machines/query/options/query-options.js';
import { spawnOptionsFor } from '../machines/query/options/spawn-options-for.js';
import { takeAbortController } from '../machines/query/options/take-abort-controller.js';
import type { QueryEvent, QueryPrompt, QueryResult } from '../machines/query/query-types.js';
import { messagesOf } from '../machines/query/streams/query-messages.js';
import type { Session } from '../machines/session/session.js';
import { type SessionChildSpec, sessionChildSpec } from '../machines/session/session-child-spec.js';
import type { SessionOptions } from '../machines/session/session-options.js';
import { poolActorLogic } from '../process/pool/pool-actor.js';
import { parseProcessPoolOptions } from '../process/pool/pool-options.js';
import type { ProcessPool, ProcessPoolStats } from '../process/pool/process-pool.js';
import { processRegistry } from '../process/registry/process-registry.js';
import { spawnClaude } from '../process/spawn/spawn-claude.js';
import type { CliMessage } from '../protocol/cli-message.js';
import type { CircuitBreakerClient } from '../resilience/breaker/circuit-breaker-client.js';
import type { BudgetClient } from '../resilience/budget/budget-client.js';
import type { Stats } from '../resilience/budget/stats.js';
import type { RateLimiterClient } from '../resilience/limiter/rate-limiter-client.js';
import { createSupervisor } from '../supervisors/create-supervisor.js';
import { supervisorClient } from '../supervisors/supervisor-client.js';
import { supervisorViewOf } from '../supervisors/supervisor-view.js';
import type { ChildSpec, SupervisorEvent } from '../supervisors/types.js';
import { QueryTicket } from './query-ticket.js';
import { queryWorkerSpec } from './query-worker-spec.js';
import { parseRuntimeOptions, type RuntimeOptions } from './runtime-options.js';
import { type SupervisionNode, supervisionTree } from './supervision-tree.js';
import { type RuntimeSnapshot, SystemActors } from './system-actors.js';

/** Per-query settings of {@link Runtime.query} that are not CLI options. */
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
}

/** A query started by a runtime. Its actor changes when the supervisor restarts it. */
export interface RuntimeQueryHandle {
  readonly queryId: string;
  readonly tags: readonly string[];
  /** Every event of every attempt; replays to late subscribers; completes with the query. */
  readonly events$: ObservableType<QueryEvent>;
  /** The CLI messages of {@link RuntimeQueryHandle.events$}. */
  readonly messages$: ObservableType<CliMessage>;
  /** Settles exactly once, across restarts; never rejects. */
  readonly result: Promise<QueryResult>;
  /** The actor running the current attempt, if any. */
  actor(): AnyActorRef | undefined;
  /** Cancels the query: its process is killed and the result is `cancelled`. */
  cancel(reason?: unknown): void;
}

/** A query the runtime is running, as {@link Runtime.running} reports it. */
export interface RunningQuery {
  readonly queryId: string;
  readonly tags: readonly string[];
  readonly attempts: number;
  /** The current actor's state value, e.g. `{ running: { attempt: 'streaming' } }`. */
  readonly state: unknown;
  readonly pid: number | undefined;
  readonly startedAt: number;
}

/** The object a service creates once at start-up and runs every query through. */
export interface Runtime {
  /**
   * Runs a query as a supervised actor: a retryable failure restarts it (after the retry
   * backoff), up to `retry.maxAttempts`; the result settles once.
   *
   * @throws {@link InvalidOptionsError} for invalid options or an invalid prompt (not a
   *   non-empty string or array of content blocks), before anything starts.
   */
  query(
    prompt: QueryPrompt,
    options?: QueryOptions,
    queryOptions?: RuntimeQueryOptions,
  ): RuntimeQueryHandle;
  /** What is running now. */
  running(): RunningQuery[];
  /** The supervision tree now. */
  tree(): SupervisionNode;
  /** The supervision tree, each time a supervisor in it changes; completes when it stops. */
  readonly tree$: ObservableType<SupervisionNode>;
  /** The root supervisor actor. */
  readonly root: AnyActorRef;
  /** Counters of the warm process pool, when the runtime has one. */
  poolStats(): ProcessPoolStats | undefined;
  /** Starts `count` warm processes for queries with these options (needs the `pool` option). */
  prewarm(options?: QueryOptions, count?: number): void;
  /**
   * Opens a bidirectional session (one live CLI process, multi-turn) supervised by the
   * runtime: restarted (resuming the conversation) if its CLI dies, served by the warm pool,
   * closed when the runtime stops.
   *
   * @throws {@link InvalidOptionsError} for invalid options.
   */
  session(options?: SessionOptions, sessionOptions?: { readonly id?: string }): Session;
  /**
   * Cost, tokens, durations, outcomes and retries: total, per model and per tag. Always
   * present: kept by the budget actor, or by the runtime itself with `budget: false` (which
   * then counts no refusals, as nothing is refused).
   */
  stats(): Stats;
  /** The shared rate limiter, circuit breaker and budget, as clients (absent when disabled). */
  system(): {
    readonly limiter: RateLimiterClient | undefined;
    readonly breaker: CircuitBreakerClient | undefined;
    readonly budget: BudgetClient | undefined;
  };
  /**
   * The persisted state of the system actors (rate-limit pauses, breaker state, spending):
   * pass it as `restore` to a new runtime so it does not forget.
   */
  snapshot(): RuntimeSnapshot;
  /**
   * Stops gracefully: no new queries; running ones may finish until `deadlineMs` (default
   * `queries.shutdownMs`), then are cancelled; supervisors stop in reverse start order; resolves
   * once every CLI process the runtime started has exited.
   */
  stop(options?: { deadlineMs?: number }): Promise<void>;
}

const QUERIES = 'queries';
const SESSIONS = 'sessions';

/**
 * A query's options over the runtime's defaults; nested groups merge one level deep. Agent SDK
 * names are turned into ours first, so that either spelling overrides the other.
 */
function mergeOptions(sdkDefaults: QueryOptions, sdkOptions: QueryOptions): QueryOptions {
  const defaults = normalizeAgentSdkOptions(sdkDefaults).value as QueryOptions;
  const options = normalizeAgentSdkOptions(sdkOptions).value as QueryOptions;
  return {
    ...defaults,
    ...options,
    timeouts: { ...defaults.timeouts, ...options.timeouts },
    retry: { ...defaults.retry, ...options.retry },
    env: defaults.env || options.env ? { ...defaults.env, ...options.env } : undefined,
  };
}

/**
 * Creates a runtime: a root supervisor owning a dynamic (simple_one_for_one) supervisor of
 * queries, with every actor visible to the `inspect` observer.
 *
 * @example
 * const runtime = createRuntime({ defaults: { model: 'sonnet' } });
 * const { result, messages$ } = runtime.query('Summarise CHANGELOG.md');
 * show((await result).text);
 * await runtime.stop();
 *
 * @throws {@link InvalidOptionsError} naming the invalid option.
 */
export function createRuntime(options: RuntimeOptions = {}): Runtime {
  const resolved = parseRuntimeOptions(options);
  const defaults = resolved.defaults ?? {};
  parseQueryOptions(defaults);
  const poolOptions = resolved.pool ? parseProcessPoolOptions(resolved.pool) : undefined;
  let pool: ProcessPool | undefined;
  let lastPool: ProcessPool | undefined;
  const baseSpawn = resolved.processes?.spawn ?? spawnClaude;
  // Queries spawn through the pool while it runs (it is restarted as an actor, so look it up).
  const spawn: typeof spawnClaude = (spawnOptions) =>
    pool ? pool.spawn(spawnOptions) : baseSpawn(spawnOptions);
  // A caller's pino logger gets the scrubbing of our own: no secret reaches its lines.
  const logger = resolved.logger && scrubbingLogger(resolved.logger);
  const log = logger?.child({ component: 'runtime' });

  const byQueryId = new Map<string, QueryTicket>();
  const system = new SystemActors(
    {
      limiter: resolved.limiter,
      breaker: resolved.breaker,
      budget: resolved.budget,
      restore: resolved.restore,
    },
    (queryId) => byQueryId.get(queryId),
  );
  const byChildId = new Map<string, QueryTicket>();
  const livePids = new Set<number>();
  let stopping = false;
  let queries: AnyActorRef | undefined;
  let sessions: AnyActorRef | undefined;
  const liveSessions = new Set<Session>();
  const sessionsById = new Map<string, SessionChildSpec>();

  /** Cancels every query still running, once `ms` have passed. */
  const cancelAllAfter = (ms: number, reason: string): NodeJS.Timeout => {
    const timer = setTimeout(() => {
      for (const ticket of byQueryId.values()) {
        ticket.cancelled ??= { reason };
        ticket.actor?.send({ type: 'CANCEL', reason: ticket.cancelled.reason });
      }
    }, ms);
    timer.unref?.();
    return timer;
  };

  const onQueryEvent = (event: SupervisorEvent): void => {
    if (event.type === 'supervisor.stopping' && event.cause !== 'requested') {
      // The queries supervisor gave up: its queries may finish their attempt, within limits.
      cancelAllAfter(resolved.queries.shutdownMs, 'the queries supervisor shut down');
      return;
    }
    if (event.type === 'child.started') {
      const context = (event.child.getSnapshot() as { context?: { queryId?: string } }).context;
      const ticket = context?.queryId ? byQueryId.get(context.queryId) : undefined;
      if (!ticket) return;
      ticket.childId = event.id;
      ticket.actor = event.child;
      byChildId.set(event.id, ticket);
      event.child.on('*', (queryEvent: QueryEvent) => {
        if (queryEvent.type === 'spawned' && queryEvent.pid !== undefined) {
          livePids.add(queryEvent.pid);
          const pid = queryEvent.pid;
          void processRegistry.whenExited(pid).then(() => livePids.delete(pid));
        }
        if (queryEvent.type === 'message') system.observe(queryEvent.message);
        ticket.events.next(queryEvent);
      });
      if (ticket.cancelled) event.child.send({ type: 'CANCEL', reason: ticket.cancelled.reason });
    } else if (event.type === 'child.exited') {
      const ticket = byChildId.get(event.id);
      if (!ticket) return;
      system.abandon(ticket.queryId);
      if (event.restart) {
        const error = ticket.attemptErrors.at(-1);
        if (error) {
          ticket.events.next({
            type: 'retrying',
            attempt: ticket.attempts,
            delayMs: ticket.nextDelayMs,
            error,
          });
        }
        return;
      }
      byChildId.delete(event.id);
      byQueryId.delete(ticket.queryId);
      ticket.actor = undefined;
      const result = ticket.settle(event.reason);
      if (result) system.record(ticket.queryId, ticket.tags, ticket.options.model, result);
      log?.debug({ queryId: ticket.queryId, reason: String(event.reason) }, 'query ended');
    }
  };

  const queriesSpec: ChildSpec = {
    id: QUERIES,
    type: 'supervisor',
    start: () =>
      createSupervisor(
        {
          strategy: 'simple_one_for_one',
          intensity: resolved.queries.intensity,
          period: resolved.queries.period,
        },
        [
          queryWorkerSpec(
            {
              logger,
              ...resolved.processes,
              spawn,
            },
            system,
          ),
        ],
      ),
  };
  const root = createActor(
    createSupervisor(
      { strategy: 'one_for_one', intensity: resolved.root.intensity, period: resolved.root.period },
      [
        system.spec(),
        ...(poolOptions
          ? [
              {
                id: 'pool',
                start: () => ({
                  logic: poolActorLogic,
                  input: {
                    options: poolOptions,
                    deps: {
                      spawn: baseSpawn,
                      logger,
                      // Idle processes count against the concurrency cap.
                      idleAllowance: () => {
                        const state = system.limiter?.state();
                        return state?.concurrencyLimit === undefined
                          ? Number.POSITIVE_INFINITY
                          : state.concurrencyLimit - state.inFlight;
                      },
                    },
                    onPool: (next: ProcessPool | undefined) => {
                      pool = next;
                      if (next) lastPool = next;
                    },
                  },
                }),
              } satisfies ChildSpec,
            ]
          : []),
        queriesSpec,
        {
          id: SESSIONS,
          type: 'supervisor',
          // Sessions are added one by one (startChild with a spec), each restartable.
          start: () =>
            createSupervisor(
              {
                strategy: 'one_for_one',
                intensity: resolved.queries.intensity,
                period: resolved.queries.period,
              },
              [],
            ),
        },
      ],
    ),
    { id: 'claude-actors', inspect: redactingObserver(resolved.inspect) },
  );
  root.on('child.started', (event: SupervisorEvent) => {
    if (event.type === 'child.started' && event.id === 'system') system.attach(event.child);
    if (event.type === 'child.started' && event.id === SESSIONS) {
      sessions = event.child;
      // A session its supervisor will not restart after all is told, not left waiting.
      event.child.on('child.exited', (exit: SupervisorEvent) => {
        if (exit.type === 'child.exited' && !exit.restart) sessionsById.get(exit.id)?.abandon();
      });
    }
    if (event.type !== 'child.started' || event.id !== QUERIES) return;
    queries = event.child;
    // A restarted queries supervisor is a new actor: listen to it afresh.
    for (const type of ['child.started', 'child.exited', 'supervisor.stopping'] as const) {
      event.child.on(type, onQueryEvent);
    }
  });
  root.on('child.exited', (event: SupervisorEvent) => {
    if (event.type === 'child.exited') log?.warn({ child: event.id, reason: event.reason }, 'exit');
  });
  root.start();

  const tree$ = new Observable<SupervisionNode>((subscriber) => {
    let scheduled = false;
    const emit = (): void => {
      scheduled = false;
      subscriber.next(supervisionTree(root));
      if (root.getSnapshot().status !== 'active') subscriber.complete();
    };
    subscriber.next(supervisionTree(root));
    const inspection = root.system.inspect((event) => {
      if (event.type !== '@xstate.snapshot' || !supervisorViewOf(event.snapshot)) return;
      // Many changes in one tick make one snapshot of the tree.
      if (!scheduled) {
        scheduled = true;
        queueMicrotask(emit);
      }
    });
    return () => inspection.unsubscribe();
  });

  return {
    root,
    tree$,
    tree: () => supervisionTree(root),
    poolStats: () => pool?.stats(),
    session(sessionOptions = {}, { id } = {}) {
      const key = id ?? `session-${randomUUID()}`;
      // Session-only keys (callbacks, timeouts) pass through the merge as they are.
      const merged = mergeOptions(defaults, sessionOptions) as SessionOptions;
      const spec = sessionChildSpec(key, merged, {
        // Each turn goes through the same admission and accounting as a query.
        admission: system.turnAdmission(key, merged.model),
        logger,
        parentEnv: resolved.processes?.parentEnv,
        spawn,
        // As for queries, the stop deadline (not a second clock) cuts a session short.
        shutdown: 'infinity',
      });
      const session = spec.session;
      liveSessions.add(session);
      sessionsById.set(spec.id, spec);
      void session.closed.finally(() => {
        liveSessions.delete(session);
        sessionsById.delete(spec.id);
      });
      // The CLI's rate-limit notices pause admission, as a query's do.
      session.messages$.subscribe((message) => system.observe(message));
      session.lifecycle$.subscribe((event) => {
        if (event.type !== 'spawned' || event.pid === undefined) return;
        const pid = event.pid;
        livePids.add(pid);
        void processRegistry.whenExited(pid).then(() => livePids.delete(pid));
      });
      // Started on the next microtask: the caller can subscribe to everything first.
      queueMicrotask(() => {
        if (stopping || !sessions) session.kill();
        else void supervisorClient(sessions).startChild(spec);
      });
      return session;
    },
    stats: () => system.stats(),
    system: () => ({ limiter: system.limiter, breaker: system.breaker, budget: system.budget }),
    snapshot: () => system.snapshot(),
    prewarm(queryOptions = {}, count) {
      if (!pool) return;
      const resolvedOptions = parseQueryOptions(mergeOptions(defaults, queryOptions));
      pool.prewarm(spawnOptionsFor(resolvedOptions, resolved.processes?.parentEnv), count);
    },
    query(prompt, sdkQueryOptions = {}, runtimeOptions = {}) {
      parsePrompt(prompt);
      // The Agent SDK's `abortController` option cancels the query as `signal` does.
      const {
        options: queryOptions,
        signal,
        dispose,
      } = takeAbortController(sdkQueryOptions, runtimeOptions.signal);
      let ticket: QueryTicket;
      try {
        ticket = new QueryTicket(
          runtimeOptions.queryId ?? randomUUID(),
          prompt,
          parseQueryOptions(mergeOptions(defaults, queryOptions)),
          runtimeOptions.tags ?? [],
          runtimeOptions.priority ?? 0,
          runtimeOptions.waitForHalfOpen ?? false,
        );
      } catch (error) {
        // Refused (a bad option): nothing will settle, so detach the joined signal now.
        dispose();
        throw error;
      }
      // A long-lived signal shared by many queries keeps no listener of a settled one.
      void ticket.result.finally(dispose);
      const cancel = (reason?: unknown): void => {
        if (ticket.settled || ticket.cancelled) return;
        ticket.cancelled = { reason };
        const actor = ticket.actor;
        if (actor && actor.getSnapshot().status === 'active')
          actor.send({ type: 'CANCEL', reason });
      };
      if (signal) {
        const onAbort = (): void => cancel(signal.reason);
        signal.addEventListener('abort', onAbort, { once: true });
        void ticket.result.finally(() => signal.removeEventListener('abort', onAbort));
        if (signal.aborted) ticket.cancelled = { reason: signal.reason };
      }
      if (stopping || !queries || ticket.cancelled) {
        ticket.cancelled ??= { reason: 'the runtime is stopping' };
        ticket.settle('shutdown');
      } else {
        byQueryId.set(ticket.queryId, ticket);
        void supervisorClient(queries)
          .startChild([ticket])
          .then((started) => {
            if (started.ok) return;
            byQueryId.delete(ticket.queryId);
            ticket.crashError = 'error' in started.error ? started.error.error : started.error;
            ticket.settle({ abnormal: ticket.crashError });
          });
      }
      return {
        queryId: ticket.queryId,
        tags: ticket.tags,
        events$: ticket.events.asObservable(),
        messages$: ticket.events.pipe(messagesOf()),
        result: ticket.result,
        actor: () => ticket.actor,
        cancel,
      };
    },
    running() {
      return [...byQueryId.values()].map((ticket) => {
        const snapshot = ticket.actor?.getSnapshot() as
          | { value?: unknown; context?: { pid?: number } }
          | undefined;
        return {
          queryId: ticket.queryId,
          tags: ticket.tags,
          attempts: ticket.attempts,
          state: snapshot?.value,
          pid: snapshot?.context?.pid,
          startedAt: ticket.startedAt,
        };
      });
    },
    async stop({ deadlineMs = resolved.queries.shutdownMs } = {}) {
      stopping = true;
      const deadline = cancelAllAfter(
        deadlineMs,
        `the runtime stop deadline (${deadlineMs} ms) passed`,
      );
      const sessionDeadline = setTimeout(() => {
        for (const session of liveSessions) session.kill();
      }, deadlineMs);
      try {
        await supervisorClient(root).stop();
      } finally {
        clearTimeout(deadline);
        clearTimeout(sessionDeadline);
      }
      for (const ticket of byQueryId.values()) ticket.settle('shutdown');
      // The pool actor is stopped with the root; wait for its idle CLIs too.
      await Promise.all([
        lastPool?.close(),
        ...[...livePids].map((pid) => processRegistry.whenExited(pid)),
      ]);
    },
  };
}
