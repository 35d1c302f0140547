import { type Context, context, type Tracer, trace } from '@opentelemetry/api';
import type { Observable } from 'rxjs';
import type { AnyActorRef } from 'xstate';
import type { Logger } from '../core/logging/create-logger.js';
import type { QueryEvent, QueryResult } from '../machines/query/query-types.js';
import type { SessionLifecycleEvent } from '../machines/session/session.js';
import type { CliMessage } from '../protocol/cli-message.js';
import { followSupervisorRestarts } from './metrics/follow-supervisor-restarts.js';
import { RuntimeMetrics, type RuntimeMetricsSources } from './metrics/runtime-metrics.js';
import { PluginHost } from './plugins/plugin-host.js';
import type { PluginQueryInfo, RuntimePlugin } from './plugins/runtime-plugin.js';
import type { ResolvedTelemetryOptions } from './telemetry-options.js';
import { TRACER_NAME } from './tracing/gen-ai-attributes.js';
import { QueryTrace, type QueryTraceInfo } from './tracing/query-trace.js';
import { type SessionTraceInfo, traceSession } from './tracing/session-trace.js';

/** What {@link RuntimeTelemetry} is made of. */
export interface RuntimeTelemetryOptions {
  readonly options: ResolvedTelemetryOptions;
  readonly plugins: readonly RuntimePlugin[];
  readonly sources: RuntimeMetricsSources;
  readonly logger?: Logger | undefined;
}

/**
 * What the runtime tells the telemetry about one query, in order: each attempt's start (which
 * returns the environment its CLI gets), its events, its end, and the result.
 */
export interface QueryObserver {
  /** Attempt `attempt` starts: its span opens; returns `TRACEPARENT`/`TRACESTATE`, if any. */
  attemptStarted(attempt: number): Record<string, string> | undefined;
  /** An event of the current attempt. */
  event(event: QueryEvent): void;
  /** The current attempt's actor ended (a retry may follow). */
  attemptEnded(): void;
  /** The query settled. */
  settled(result: QueryResult): void;
}

/**
 * @internal A runtime's observability: the tracer its query spans go to, its metrics, and its
 * plugins. One per runtime.
 */
export class RuntimeTelemetry {
  readonly plugins: PluginHost;
  readonly metrics: RuntimeMetrics;
  readonly #tracer: Tracer;
  readonly #hasMessageHooks: boolean;

  constructor({ options, plugins, sources, logger }: RuntimeTelemetryOptions) {
    this.plugins = new PluginHost(plugins, logger);
    this.metrics = new RuntimeMetrics(sources, options.metrics);
    this.#tracer = (options.tracerProvider ?? trace.getTracerProvider()).getTracer(TRACER_NAME);
    this.#hasMessageHooks = this.plugins.has('onMessage');
    this.plugins.errors$.subscribe(({ plugin, hook }) =>
      this.metrics.pluginErrors.inc({ plugin, hook }),
    );
  }

  /** Counts the restarts of every supervisor in `root`'s system; returns the unsubscribe. */
  followSupervisors(root: AnyActorRef): () => void {
    return followSupervisorRestarts(root, (supervisor) =>
      this.metrics.restarts.inc({ supervisor }),
    );
  }

  /**
   * Starts observing a query. Its spans go under `parent` (by default the context active when
   * the query was started: a caller's span, a task run's workflow span).
   */
  query(info: QueryTraceInfo, parent: Context = context.active()): QueryObserver {
    const span = new QueryTrace(this.#tracer, parent, info);
    const plugins = this.plugins;
    const metrics = this.metrics;
    const query: PluginQueryInfo = { queryId: info.queryId, tags: info.tags };
    const onMessage = this.#hasMessageHooks;
    return {
      attemptStarted: (attempt) => span.startAttempt(attempt),
      event(event) {
        span.event(event);
        if (event.type === 'query.message' && onMessage) {
          plugins.call('onMessage', info.queryId, event.message, {
            ...query,
            attempt: event.attempt,
          });
        } else if (event.type === 'query.retrying') {
          metrics.retries.inc({ reason: event.error.code });
          plugins.call('onRetry', info.queryId, {
            ...query,
            attempt: event.attempt,
            delayMs: event.delayMs,
            error: event.error,
          });
        }
      },
      attemptEnded: () => span.endAttempt(),
      settled(result) {
        span.end(result);
        plugins.call('afterQuery', info.queryId, result, query);
      },
    };
  }

  /** Traces each turn of a session (from its streams) under `parent`. */
  session(
    info: SessionTraceInfo,
    streams: {
      readonly messages$: Observable<CliMessage>;
      readonly lifecycle$: Observable<SessionLifecycleEvent>;
    },
    parent: Context = context.active(),
  ): void {
    traceSession(this.#tracer, parent, info, streams.messages$, streams.lifecycle$);
  }

  /** The runtime stopped. */
  close(): void {
    this.plugins.close();
  }
}
