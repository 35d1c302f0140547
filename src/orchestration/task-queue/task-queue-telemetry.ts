import {
  type Context,
  context,
  SpanKind,
  SpanStatusCode,
  type TracerProvider,
  trace,
} from '@opentelemetry/api';
import { type Observable, ReplaySubject } from 'rxjs';
import type { Logger } from '../../core/logging/create-logger.js';
import { PluginHost } from '../../telemetry/plugins/plugin-host.js';
import type { PluginErrorEvent, RuntimePlugin } from '../../telemetry/plugins/runtime-plugin.js';
import { GenAiAttributes as A, TRACER_NAME } from '../../telemetry/tracing/gen-ai-attributes.js';
import type { RunSummary } from '../report/run-summary.js';
import type { TaskProgressEvent } from './task-progress-event.js';
import type { TaskQueueRuntime } from './task-scheduler.js';

/** What {@link taskQueueTelemetry} observes. */
export interface TaskQueueTelemetryOptions {
  readonly runId: string;
  readonly name: string | undefined;
  readonly tracerProvider?: TracerProvider | undefined;
  readonly plugins: readonly RuntimePlugin[];
  readonly logger?: Logger | undefined;
}

/** The telemetry of one run: its workflow span, and the plugins' task hooks. */
export interface TaskQueueTelemetry {
  /** `runtime` whose queries are children of the run's `invoke_workflow` span. */
  traced(runtime: TaskQueueRuntime): TaskQueueRuntime;
  /** Follows the run's progress: calls `onTaskStart` / `onTaskEnd`. */
  follow(progress$: Observable<TaskProgressEvent>): void;
  /** Task hooks that threw or rejected; replays to late subscribers; completes with the run. */
  readonly pluginErrors$: Observable<PluginErrorEvent>;
  /** The run ended (a summary), or could not finish (an error): its span ends, once. */
  end(summary: RunSummary | undefined, error?: unknown): void;
}

/**
 * @internal An `invoke_workflow` span for a run of a task plan (every task's `invoke_agent`
 * spans are its children, by the `traceContext` of their queries) and the task hooks of the
 * plugins given to `runTaskQueue`, each isolated as the runtime's are.
 */
export function taskQueueTelemetry(options: TaskQueueTelemetryOptions): TaskQueueTelemetry {
  const tracer = (options.tracerProvider ?? trace.getTracerProvider()).getTracer(TRACER_NAME);
  const name = options.name ?? options.runId;
  const span = tracer.startSpan(
    `invoke_workflow ${name}`,
    {
      kind: SpanKind.INTERNAL,
      attributes: {
        [A.operationName]: 'invoke_workflow',
        [A.workflowName]: name,
        [A.runId]: options.runId,
      },
    },
    context.active(),
  );
  const parent: Context = trace.setSpan(context.active(), span);
  const plugins = new PluginHost(options.plugins, options.logger);
  // Hooks may fail before the caller has the run in hand: late subscribers see them too.
  const pluginErrors = new ReplaySubject<PluginErrorEvent>();
  plugins.errors$.subscribe(pluginErrors);
  let ended = false;
  return {
    pluginErrors$: pluginErrors.asObservable(),
    traced: (runtime) => ({
      query: (prompt, queryOptions, runtimeOptions) =>
        runtime.query(prompt, queryOptions, { traceContext: parent, ...runtimeOptions }),
    }),
    follow(progress$) {
      if (!plugins.has('onTaskStart') && !plugins.has('onTaskEnd')) return;
      progress$.subscribe((event) => {
        // The event's id: a resumed run found in the journal has another than the one at start.
        const { runId } = event;
        if (event.type === 'task.started') {
          const { taskId, attempt, queryId } = event;
          plugins.call('onTaskStart', queryId, { runId, taskId, attempt, queryId });
        } else if (event.type === 'task.skipped') {
          const { taskId } = event;
          const error = `skipped: ${event.because} did not succeed`;
          plugins.call('onTaskEnd', undefined, {
            ...{ runId, taskId, status: 'skipped', attempts: 0, durationMs: 0, costUsd: 0 },
            error,
          });
        } else if (
          event.type === 'task.succeeded' ||
          event.type === 'task.failed' ||
          event.type === 'task.cancelled'
        ) {
          const { taskId, attempts, durationMs, costUsd } = event;
          const status = event.type.slice('task.'.length) as 'succeeded' | 'failed' | 'cancelled';
          const error =
            event.type === 'task.failed'
              ? event.error
              : event.type === 'task.cancelled'
                ? event.reason
                : undefined;
          plugins.call('onTaskEnd', undefined, {
            runId,
            taskId,
            status,
            attempts,
            durationMs,
            costUsd,
            ...(error === undefined ? {} : { error }),
          });
        }
      });
    },
    end(summary, error) {
      if (ended) return;
      ended = true;
      if (summary) {
        span.setAttributes({
          // A resumed run found in the journal may have another id than the one at the start.
          [A.runId]: summary.runId,
          [A.status]: summary.status,
          [A.costUsd]: summary.totalCostUsd,
          'claude_actors.tasks.total': summary.counts.total,
          'claude_actors.tasks.succeeded': summary.counts.succeeded,
          'claude_actors.tasks.failed': summary.counts.failed,
        });
        if (summary.status !== 'succeeded') {
          span.setAttribute(
            A.errorType,
            summary.status === 'cancelled' ? 'cancelled' : 'task_failed',
          );
          span.setStatus({ code: SpanStatusCode.ERROR });
        }
      } else {
        span.setAttribute(A.errorType, 'run_failed');
        span.setStatus({ code: SpanStatusCode.ERROR, message: String(error) });
      }
      span.end();
      plugins.close();
    },
  };
}
