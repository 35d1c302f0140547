import type { Observable } from 'rxjs';
import { type AnyActorRef, createActor } from 'xstate';
import { scrubbingLogger } from '../core/logging/scrubbing-logger.js';
import { redactingObserver } from '../core/redaction/redact-inspection-event.js';
import { parseQueryOptions } from '../machines/query/options/parse-options.js';
import type { QueryOptions } from '../machines/query/options/query-options.js';
import { spawnOptionsFor } from '../machines/query/options/spawn-options-for.js';
import type { QueryPrompt } from '../machines/query/query-types.js';
import type { Session } from '../machines/session/session.js';
import type { SessionOptions } from '../machines/session/session-options.js';
import { parseProcessPoolOptions } from '../process/pool/pool-options.js';
import type { ProcessPoolStats } from '../process/pool/process-pool.js';
import type { ReapReport } from '../process/registry/reap-orphans.js';
import { spawnClaude } from '../process/spawn/spawn-claude.js';
import type { CircuitBreakerClient } from '../resilience/breaker/circuit-breaker-client.js';
import type { BudgetClient } from '../resilience/budget/budget-client.js';
import type { Stats } from '../resilience/budget/stats.js';
import type { RateLimiterClient } from '../resilience/limiter/rate-limiter-client.js';
import { createSupervisor } from '../supervisors/create-supervisor.js';
import { supervisorClient } from '../supervisors/supervisor-client.js';
import type { SupervisorEvent } from '../supervisors/types.js';
import type { MetricsRegistry } from '../telemetry/metrics/metrics-registry.js';
import type { PluginErrorEvent } from '../telemetry/plugins/runtime-plugin.js';
import { RuntimeTelemetry } from '../telemetry/runtime-telemetry.js';
import { LiveProcesses } from './live-processes.js';
import { mergeQueryOptions } from './merge-query-options.js';
import { PoolSlot } from './pool-slot.js';
import { QueryRegistry } from './query-registry.js';
import type { QueryTicket } from './query-ticket.js';
import { queryWorkerSpec } from './query-worker-spec.js';
import { type RecordedSessions, recordedSessions } from './recorded-sessions.js';
import { parseRuntimeOptions, type RuntimeOptions } from './runtime-options.js';
import { runtimeProcessRecords } from './runtime-process-records.js';
import { RuntimeQueries } from './runtime-queries.js';
import type {
  RunningQuery,
  RuntimeQueryHandle,
  RuntimeQueryOptions,
} from './runtime-query-types.js';
import { RuntimeSessions } from './runtime-sessions.js';
import type { RuntimeSnapshot } from './runtime-snapshot.js';
import { parseRuntimeStopOptions } from './runtime-stop-options.js';
import { runtimeTree } from './runtime-tree.js';
import { SessionRecorder } from './session-recorder.js';
import { type SupervisionNode, supervisionTree } from './supervision-tree.js';
import { supervisionTreeChanges } from './supervision-tree-changes.js';
import { SystemActors } from './system-actors.js';
import { SystemRefs } from './system-refs.js';
import { SystemStatePersistence } from './system-state-persistence.js';

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
  readonly tree$: Observable<SupervisionNode>;
  /** The root supervisor actor. */
  readonly root: AnyActorRef;
  /**
   * The reap of the CLI processes dead hosts left running (see `reapOrphans`), started with the
   * runtime on its process registry (`processes.registry`). Never rejects.
   */
  readonly reaped: Promise<ReapReport>;
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
  /**
   * The queries and sessions recorded in the runtime's `store` (each under its CLI session
   * id): list and search them, read one, delete, clean up by age. Without a `store` every
   * method rejects with a `STORE_MISSING` {@link StoreError}.
   */
  readonly sessions: RecordedSessions;
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
   * The runtime's Prometheus metrics (queries by status, in flight, retries by reason, cost
   * and tokens by model and tag, limiter, breaker, pool, supervisor restarts, plugin errors):
   * a prom-client `Registry`, the same one on every call. Serve `await registry.metrics()` on
   * `/metrics`, or merge it into your own registry. Counting starts with the runtime, whenever
   * this is first called.
   *
   * @throws {@link MetricsUnavailableError} when the optional peer `prom-client` is missing.
   */
  metrics(): MetricsRegistry;
  /** Plugin hooks that threw or rejected (each is also logged); completes when it stops. */
  readonly pluginErrors$: Observable<PluginErrorEvent>;
  /**
   * Stops gracefully: no new queries; running ones may finish until `deadlineMs` (default
   * `queries.shutdownMs`), then are cancelled; supervisors stop in reverse start order; resolves
   * once every CLI process the runtime started has exited.
   * @throws `InvalidOptionsError` (the promise rejects, nothing is stopped) for a `deadlineMs`
   *   that is not an integer from 0 to 2³¹−1 ms.
   */
  stop(options?: { deadlineMs?: number }): Promise<void>;
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
  // A caller's pino logger gets the scrubbing of our own: no secret reaches its lines.
  const logger = resolved.logger && scrubbingLogger(resolved.logger);
  const refs = new SystemRefs();
  const registry = new QueryRegistry<QueryTicket>();
  const persistence =
    resolved.store &&
    new SystemStatePersistence({ store: resolved.store, name: resolved.name, refs, logger });
  const system = new SystemActors(
    { budget: resolved.budget, ready: persistence && (() => persistence.ready) },
    (id) => registry.get(id),
    refs,
  );
  const processes = new LiveProcesses();
  const pool = new PoolSlot();
  const stopping = new AbortController();
  const records = runtimeProcessRecords(resolved.processes?.registry, resolved.store, logger);
  const baseSpawn = records.recording(resolved.processes?.spawn ?? spawnClaude);
  // Queries spawn through the pool while it runs (it is restarted as an actor, so look it up).
  const spawn: typeof spawnClaude = (spawnOptions) =>
    pool.current ? pool.current.spawn(spawnOptions) : baseSpawn(spawnOptions);

  const tree = runtimeTree(resolved, {
    queryWorker: queryWorkerSpec({ logger, ...resolved.processes, spawn }, system),
    pool: poolOptions && {
      options: poolOptions,
      // Idle processes count against the concurrency cap.
      deps: { spawn: baseSpawn, logger, idleAllowance: () => idleAllowance(system) },
      onPool: pool.set,
    },
  });
  const root = createActor(createSupervisor(tree.flags, tree.children), {
    id: 'claude-actors',
    inspect: redactingObserver(resolved.inspect),
  });
  refs.bind(root.system);
  persistence?.start(root.system);
  const telemetry = new RuntimeTelemetry({
    options: resolved.telemetry,
    plugins: resolved.plugins,
    logger,
    sources: {
      inFlight: () => registry.size,
      stats: () => system.stats(),
      limiter: () => system.limiter?.state(),
      breaker: () => system.breaker?.state(),
      pool: () => pool.current?.stats(),
      now: Date.now,
    },
  });
  // Before the start: the supervisors the root starts are followed from their first child.
  const unfollow = telemetry.followSupervisors(root);
  const log = logger?.child({ component: 'runtime' });
  root.on('child.exited', (event: SupervisorEvent) => {
    if (event.type === 'child.exited') log?.warn({ child: event.id, reason: event.reason }, 'exit');
  });
  root.start();

  const queries = new RuntimeQueries({
    defaults,
    registry,
    system,
    processes,
    supervisor: () => refs.get('queries'),
    stopped: stopping.signal,
    shutdownMs: resolved.queries.shutdownMs,
    logger,
    telemetry,
  });
  // With a store, every query and session is recorded (a store failure is only logged).
  const recorder = resolved.store && new SessionRecorder(resolved.store.sessions, { logger });
  const sessions = new RuntimeSessions({
    defaults,
    system,
    processes,
    spawn,
    logger,
    parentEnv: resolved.processes?.parentEnv,
    supervisor: () => refs.get('sessions'),
    stopped: stopping.signal,
    telemetry,
  });

  return {
    root,
    tree$: supervisionTreeChanges(root),
    tree: () => supervisionTree(root),
    reaped: records.reaped,
    poolStats: () => pool.current?.stats(),
    session(sessionOptions, sessionIds) {
      const session = sessions.open(sessionOptions, sessionIds);
      return recorder?.session(session, sessionOptions?.model ?? defaults.model) ?? session;
    },
    sessions: recordedSessions(resolved.store),
    stats: () => system.stats(),
    metrics: () => telemetry.metrics.registry(),
    pluginErrors$: telemetry.plugins.errors$,
    system: () => ({ limiter: system.limiter, breaker: system.breaker, budget: system.budget }),
    snapshot: () => system.snapshot(),
    prewarm(queryOptions = {}, count) {
      if (!pool.current) return;
      const resolvedOptions = parseQueryOptions(mergeQueryOptions(defaults, queryOptions));
      pool.current.prewarm(spawnOptionsFor(resolvedOptions, resolved.processes?.parentEnv), count);
    },
    query(prompt, queryOptions, runtimeOptions) {
      const handle = queries.start(prompt, queryOptions, runtimeOptions);
      return recorder?.query(handle, prompt, queryOptions?.model ?? defaults.model) ?? handle;
    },
    running: () => queries.running(),
    async stop(stopOptions) {
      const deadlineMs =
        parseRuntimeStopOptions(stopOptions).deadlineMs ?? resolved.queries.shutdownMs;
      stopping.abort();
      // Reads after the stop (stats, clients) find the system actors' last state.
      refs.retain();
      const deadline = queries.cancelAllAfter(
        deadlineMs,
        `the runtime stop deadline (${deadlineMs} ms) passed`,
      );
      const sessionDeadline = setTimeout(() => sessions.killAll(), deadlineMs);
      try {
        await supervisorClient(root).stop();
      } finally {
        clearTimeout(deadline);
        clearTimeout(sessionDeadline);
        queries.settleAll();
        // The pool actor is stopped with the root; wait for its idle CLIs too, and the store,
        // even when the tree's stop failed: the caller closes the store next.
        await Promise.all([pool.last?.close(), processes.allExited(), persistence?.stop()]);
        await records.settle();
        // Every query and session has ended: their last records are written.
        await recorder?.idle();
        unfollow();
        telemetry.close();
      }
    },
  };
}

/** How many idle pool processes the rate limiter's concurrency cap leaves room for. */
function idleAllowance(system: SystemActors): number {
  const state = system.limiter?.state();
  return state?.concurrencyLimit === undefined
    ? Number.POSITIVE_INFINITY
    : state.concurrencyLimit - state.inFlight;
}
