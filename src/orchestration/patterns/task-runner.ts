import { type Context, context, type Span, trace } from '@opentelemetry/api';
import { ReplaySubject } from 'rxjs';
import { CancelledError } from '../../core/errors/cancelled-error.js';
import { isClaudeActorsError } from '../../core/errors/claude-actors-error.js';
import { parsePrompt } from '../../machines/query/options/parse-prompt.js';
import type { QueryResult } from '../../machines/query/query-types.js';
import { unfinishedResult } from '../../machines/query/unfinished-result.js';
import { GenAiAttributes as A, TRACER_NAME } from '../../telemetry/tracing/gen-ai-attributes.js';
import type { PatternEvent, PatternTask, QueryRunner } from './pattern-types.js';

/** A task id: its own, or its index. */
export const taskId = (task: PatternTask, index: number): string => task.id ?? String(index);

/** The result of a task that never ran (cancelled before it started, or skipped). */
export function notRunResult(id: string, reason: string): QueryResult {
  return unfinishedResult({ queryId: id, status: 'cancelled', error: new CancelledError(reason) });
}

/**
 * Checks the prompt of every task before a pattern starts any, naming the bad one
 * (`tasks[2].prompt`); a pattern with a bad prompt runs nothing.
 *
 * @param what - How the pattern calls its list in errors: `tasks`, `alternatives`.
 * @throws {@link InvalidOptionsError} for the first task whose prompt is invalid.
 * @internal
 */
export function checkPrompts(tasks: readonly { readonly prompt: unknown }[], what: string): void {
  tasks.forEach((task, index) => {
    // A function prompt (a pipeline step) is checked once it has produced its prompt.
    if (typeof task.prompt !== 'function') parsePrompt(task.prompt, `${what}[${index}].prompt`);
  });
}

/**
 * @internal The plumbing every pattern shares: progress events, cancellation of what runs,
 * and running one task through the runtime.
 */
export class TaskRunner {
  readonly progress = new ReplaySubject<PatternEvent>();
  readonly #running = new Set<{ cancel(reason?: unknown): void }>();
  cancelled: { reason: unknown } | undefined;
  /** The pattern's `invoke_workflow` span (global tracer): its tasks' spans are children. */
  readonly #span: Span;
  readonly #traceContext: Context;

  constructor(
    readonly runtime: QueryRunner,
    signal?: AbortSignal,
    pattern = 'pattern',
  ) {
    signal?.addEventListener('abort', () => this.cancel(signal.reason), { once: true });
    if (signal?.aborted) this.cancelled = { reason: signal.reason };
    this.#span = trace.getTracer(TRACER_NAME).startSpan(`invoke_workflow ${pattern}`, {
      attributes: { [A.operationName]: 'invoke_workflow', [A.workflowName]: pattern },
    });
    this.#traceContext = trace.setSpan(context.active(), this.#span);
  }

  /** Runs one task; resolves with its result (a cancelled one if the pattern was cancelled). */
  async run(task: PatternTask, index: number, prompt = task.prompt): Promise<QueryResult> {
    const id = taskId(task, index);
    if (this.cancelled)
      return notRunResult(id, `cancelled before it started: ${String(this.cancelled.reason)}`);
    this.progress.next({ type: 'task.started', id, index, at: Date.now() });
    let handle: ReturnType<QueryRunner['query']>;
    try {
      handle = this.runtime.query(prompt, task.options, {
        tags: task.tags,
        traceContext: this.#traceContext,
      });
    } catch (error) {
      // Refused before it started (invalid options or prompt): a failed task, not a rejection.
      if (!isClaudeActorsError(error)) throw error;
      const result = unfinishedResult({ queryId: id, status: 'failed', error });
      this.progress.next({ type: 'task.finished', id, index, at: Date.now(), result });
      return result;
    }
    this.#running.add(handle);
    try {
      const result = await handle.result;
      this.progress.next({ type: 'task.finished', id, index, at: Date.now(), result });
      return result;
    } finally {
      this.#running.delete(handle);
    }
  }

  cancel(reason: unknown = 'cancelled'): void {
    this.cancelled ??= { reason };
    for (const handle of this.#running) handle.cancel(reason);
  }

  /** Ends the progress stream and the pattern's span, and hands back the outcome. */
  finish<R>(outcome: R): R {
    this.#span.end();
    this.progress.complete();
    return outcome;
  }
}
