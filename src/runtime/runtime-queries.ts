import { randomUUID } from 'node:crypto';
import { context } from '@opentelemetry/api';
import type { AnyActorRef } from 'xstate';
import type { Logger } from '../core/logging/create-logger.js';
import { InvalidOptionsError } from '../core/validation/invalid-options-error.js';
import { renderValue } from '../core/validation/render-value.js';
import { parseQueryOptions } from '../machines/query/options/parse-options.js';
import { parsePrompt } from '../machines/query/options/parse-prompt.js';
import type { QueryOptions } from '../machines/query/options/query-options.js';
import { takeAbortController } from '../machines/query/options/take-abort-controller.js';
import type { QueryEvent, QueryPrompt } from '../machines/query/query-types.js';
import { messagesOf } from '../machines/query/streams/query-messages.js';
import { supervisorClient } from '../supervisors/supervisor-client.js';
import type { SupervisorEvent } from '../supervisors/types.js';
import { PluginRefusedError } from '../telemetry/errors/plugin-refused-error.js';
import type { RuntimeTelemetry } from '../telemetry/runtime-telemetry.js';
import type { LiveProcesses } from './live-processes.js';
import { mergeQueryOptions } from './merge-query-options.js';
import type { QueryRegistry } from './query-registry.js';
import { QueryTicket } from './query-ticket.js';
import type {
  RunningQuery,
  RuntimeQueryHandle,
  RuntimeQueryOptions,
} from './runtime-query-types.js';
import type { SystemActors } from './system-actors.js';

/** What {@link RuntimeQueries} needs of its runtime. */
export interface RuntimeQueriesDependencies {
  /** Query options every query starts from. */
  readonly defaults: QueryOptions;
  /** The queries running now (the system actors read their admission info from it). */
  readonly registry: QueryRegistry<QueryTicket>;
  readonly system: SystemActors;
  readonly processes: LiveProcesses;
  /** The live queries supervisor (`simple_one_for_one` of query workers). */
  readonly supervisor: () => AnyActorRef | undefined;
  /** Aborted once the runtime stops: no query starts after. */
  readonly stopped: AbortSignal;
  /** How long running queries may go on once the queries supervisor gave up (ms). */
  readonly shutdownMs: number;
  readonly logger?: Logger | undefined;
  /** Traces, metrics and plugins. */
  readonly telemetry?: RuntimeTelemetry | undefined;
}

/**
 * @internal The queries of a runtime: starts each as a child of the queries supervisor, follows
 * its instances (one per attempt) through the supervisor's events, and settles it once.
 */
export class RuntimeQueries {
  readonly #deps: RuntimeQueriesDependencies;
  readonly #log: Logger | undefined;
  /** Queries supervisors listened to: each (re)started one, the first time a query uses it. */
  readonly #followed = new WeakSet<AnyActorRef>();

  constructor(deps: RuntimeQueriesDependencies) {
    this.#deps = deps;
    this.#log = deps.logger?.child({ component: 'runtime' });
  }

  /** `Runtime.query`: validates, then starts the query under the queries supervisor. */
  start(
    prompt: QueryPrompt,
    sdkQueryOptions: QueryOptions = {},
    runtimeOptions: RuntimeQueryOptions = {},
  ): RuntimeQueryHandle {
    parsePrompt(prompt);
    const { queryId } = runtimeOptions;
    if (queryId !== undefined && this.#deps.registry.get(queryId)) {
      // Two queries under one id would share events, results and restarts.
      throw new InvalidOptionsError([
        {
          path: 'queryId',
          message: 'is the id of a query still running in this runtime; give each query its own',
          received: renderValue(queryId),
        },
      ]);
    }
    const id = runtimeOptions.queryId ?? randomUUID();
    const tags = runtimeOptions.tags ?? [];
    const planned = this.#beforeQuery(id, tags, prompt, sdkQueryOptions);
    // The Agent SDK's `abortController` option cancels the query as `signal` does.
    const {
      options: queryOptions,
      signal,
      dispose,
    } = takeAbortController(planned.options, runtimeOptions.signal);
    let ticket: QueryTicket;
    try {
      ticket = new QueryTicket(
        id,
        planned.prompt,
        parseQueryOptions(mergeQueryOptions(this.#deps.defaults, queryOptions)),
        tags,
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
      if (actor && actor.getSnapshot().status === 'active') actor.send({ type: 'CANCEL', reason });
    };
    if (signal) {
      const onAbort = (): void => cancel(signal.reason);
      signal.addEventListener('abort', onAbort, { once: true });
      void ticket.result.finally(() => signal.removeEventListener('abort', onAbort));
      if (signal.aborted) ticket.cancelled = { reason: signal.reason };
    }
    ticket.observer = this.#deps.telemetry?.query(
      {
        queryId: id,
        tags,
        model: ticket.options.model,
        sessionId: ticket.options.resume ?? ticket.options.sessionId,
      },
      runtimeOptions.traceContext ?? context.active(),
    );
    if (planned.refused) this.#refuse(ticket, planned.refused);
    else this.#launch(ticket);
    return {
      queryId: ticket.queryId,
      tags: ticket.tags,
      events$: ticket.events.asObservable(),
      messages$: ticket.events.pipe(messagesOf()),
      result: ticket.result,
      actor: () => ticket.actor,
      cancel,
    };
  }

  /** `Runtime.running`. */
  running(): RunningQuery[] {
    return this.#deps.registry.list().map((ticket) => {
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
  }

  /** Cancels every query still running, once `ms` have passed. */
  cancelAllAfter(ms: number, reason: string): NodeJS.Timeout {
    const timer = setTimeout(() => {
      for (const ticket of this.#deps.registry.list()) {
        ticket.cancelled ??= { reason };
        ticket.actor?.send({ type: 'CANCEL', reason: ticket.cancelled.reason });
      }
    }, ms);
    timer.unref?.();
    return timer;
  }

  /** Settles every query left once the supervisors stopped (`shutdown`). */
  settleAll(): void {
    for (const ticket of this.#deps.registry.list()) ticket.settle('shutdown');
  }

  /** The plugins' prompt and options (or refusal); the caller's when there are no plugins. */
  #beforeQuery(
    queryId: string,
    tags: readonly string[],
    prompt: QueryPrompt,
    options: QueryOptions,
  ): {
    prompt: QueryPrompt;
    options: QueryOptions;
    refused?: { plugin: string; reason: string } | undefined;
  } {
    const plugins = this.#deps.telemetry?.plugins;
    if (!plugins?.has('beforeQuery')) return { prompt, options };
    const outcome = plugins.beforeQuery({ queryId, tags, prompt, options }, (p, o) => {
      // A plugin's change must be valid on its own: an invalid one is that plugin's error.
      parsePrompt(p);
      const taken = takeAbortController(o);
      taken.dispose();
      parseQueryOptions(mergeQueryOptions(this.#deps.defaults, taken.options));
    });
    return outcome.refused ? { prompt, options, refused: outcome.refused } : outcome;
  }

  /** A plugin refused the query: it fails without starting. */
  #refuse(ticket: QueryTicket, refused: { plugin: string; reason: string }): void {
    const error = new PluginRefusedError(refused.plugin, refused.reason, ticket.queryId);
    this.#log?.info({ queryId: ticket.queryId, plugin: refused.plugin }, 'query refused');
    const result = ticket.settle({ abnormal: error });
    if (result) this.#deps.system.record(ticket.queryId, ticket.tags, ticket.options.model, result);
  }

  #launch(ticket: QueryTicket): void {
    const supervisor = this.#deps.supervisor();
    if (this.#deps.stopped.aborted || !supervisor || ticket.cancelled) {
      ticket.cancelled ??= { reason: 'the runtime is stopping' };
      ticket.settle('shutdown');
      return;
    }
    this.#follow(supervisor);
    this.#deps.registry.add(ticket);
    void supervisorClient(supervisor)
      .startChild([ticket])
      .then((started) => {
        if (started.ok) return;
        this.#deps.registry.remove(ticket);
        ticket.settle({
          abnormal: 'error' in started.error ? started.error.error : started.error,
        });
      });
  }

  #follow(supervisor: AnyActorRef): void {
    if (this.#followed.has(supervisor)) return;
    this.#followed.add(supervisor);
    const onEvent = (event: SupervisorEvent): void => this.#onSupervisorEvent(event);
    for (const type of ['child.started', 'child.exited', 'supervisor.stopping'] as const) {
      supervisor.on(type, onEvent);
    }
  }

  #onSupervisorEvent(event: SupervisorEvent): void {
    if (event.type === 'supervisor.stopping' && event.cause !== 'requested') {
      // The queries supervisor gave up: its queries may finish their attempt, within limits.
      this.cancelAllAfter(this.#deps.shutdownMs, 'the queries supervisor shut down');
    } else if (event.type === 'child.started') {
      this.#attemptStarted(event.id, event.child);
    } else if (event.type === 'child.exited') {
      this.#attemptExited(event);
    }
  }

  /** A new instance of a query (its next attempt): follow its events. */
  #attemptStarted(childId: string, child: AnyActorRef): void {
    const { registry, system, processes } = this.#deps;
    const context = (child.getSnapshot() as { context?: { queryId?: string } }).context;
    const ticket = context?.queryId ? registry.get(context.queryId) : undefined;
    if (!ticket) return;
    ticket.childId = childId;
    ticket.actor = child;
    registry.bindChild(childId, ticket);
    child.on('*', (queryEvent: QueryEvent) => {
      if (queryEvent.type === 'query.spawned' && queryEvent.pid !== undefined) {
        processes.track(queryEvent.pid);
      }
      if (queryEvent.type === 'query.message') system.observe(queryEvent.message);
      ticket.events.next(queryEvent);
      ticket.observer?.event(queryEvent);
    });
    if (ticket.cancelled) child.send({ type: 'CANCEL', reason: ticket.cancelled.reason });
  }

  /** An instance ended: a restart is the retry it planned; anything else settles the query. */
  #attemptExited(event: Extract<SupervisorEvent, { type: 'child.exited' }>): void {
    const { registry, system } = this.#deps;
    const ticket = registry.byChild(event.id);
    if (!ticket) return;
    system.abandon(ticket.queryId);
    // A restart is a retry the instance planned (and announced with its `query.retrying`).
    if (event.restart) {
      ticket.observer?.attemptEnded();
      return;
    }
    registry.remove(ticket);
    ticket.actor = undefined;
    const result = ticket.settle(event.reason);
    if (result) system.record(ticket.queryId, ticket.tags, ticket.options.model, result);
    this.#log?.debug({ queryId: ticket.queryId, reason: String(event.reason) }, 'query ended');
  }
}
