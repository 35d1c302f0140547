import { filter, map, type Observable } from 'rxjs';
import type { QueryResult } from '../../machines/query/query-types.js';
import type { PatternEvent, PatternRun, PatternTask, QueryRunner } from './pattern-types.js';
import { checkPrompts, notRunResult, TaskRunner, taskId } from './task-runner.js';

/** Options of {@link parallel}. */
export interface ParallelOptions {
  /** Tasks running at once. @defaultValue 4 */
  readonly maxConcurrent?: number;
  /**
   * `settle-all` (default): every task runs, failures included. `fail-fast`: the first failure
   * cancels the running tasks and skips those not started.
   */
  readonly mode?: 'settle-all' | 'fail-fast';
  readonly signal?: AbortSignal;
}

/** What {@link parallel} settles with. */
export interface ParallelResult {
  /** One result per task, in input order. */
  readonly results: readonly QueryResult[];
  readonly succeeded: number;
  readonly failed: number;
  readonly cancelled: number;
}

/** A task's result as it completes. */
export interface Completed {
  readonly id: string;
  readonly index: number;
  readonly result: QueryResult;
}

/**
 * Runs tasks at once, at most `maxConcurrent` at a time, through the runtime (so its rate
 * limiter, breaker and budget apply). One failure loses none of the other results.
 *
 * @example
 * const run = parallel(runtime, files.map((f) => ({ id: f, prompt: `Review ${f}` })), { maxConcurrent: 3 });
 * run.completed$.subscribe(({ id, result }) => show(id, result.status));
 * const { results } = await run.result;
 *
 * @throws {@link InvalidOptionsError} when a prompt is invalid, naming it (`tasks[2].prompt`),
 *   before any task runs.
 */
export function parallel(
  runtime: QueryRunner,
  tasks: readonly PatternTask[],
  options: ParallelOptions = {},
): PatternRun<ParallelResult> & { readonly completed$: Observable<Completed> } {
  const { maxConcurrent = 4, mode = 'settle-all' } = options;
  if (!Number.isInteger(maxConcurrent) || maxConcurrent < 1) {
    throw new RangeError(
      `Expected \`maxConcurrent\` to be a positive integer, got \`${maxConcurrent}\``,
    );
  }
  checkPrompts(tasks, 'tasks');
  const runner = new TaskRunner(runtime, options.signal, 'parallel');
  const results: QueryResult[] = new Array(tasks.length);
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < tasks.length) {
      const index = next++;
      const task = tasks[index]!;
      const result = await runner.run(task, index);
      results[index] = result;
      if (result.status === 'failed' && mode === 'fail-fast') {
        runner.cancel(`task ${taskId(task, index)} failed (fail-fast)`);
      }
    }
  };
  const result = Promise.all(
    Array.from({ length: Math.min(maxConcurrent, tasks.length) }, worker),
  ).then(() => {
    for (let i = 0; i < tasks.length; i++) {
      results[i] ??= notRunResult(taskId(tasks[i]!, i), 'not started');
    }
    return runner.finish({
      results,
      succeeded: results.filter((r) => r.status === 'succeeded').length,
      failed: results.filter((r) => r.status === 'failed').length,
      cancelled: results.filter((r) => r.status === 'cancelled').length,
    });
  });
  return {
    result,
    progress$: runner.progress.asObservable(),
    completed$: runner.progress.pipe(
      filter(
        (e): e is Extract<PatternEvent, { type: 'task.finished' }> => e.type === 'task.finished',
      ),
      map((e) => ({ id: e.id, index: e.index, result: e.result })),
    ),
    cancel: (reason) => runner.cancel(reason),
  };
}
