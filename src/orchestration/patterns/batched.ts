import type { QueryResult } from '../../machines/query/query-types.js';
import { withContext } from './context-block.js';
import type { PatternRun, PatternTask, QueryRunner } from './pattern-types.js';
import { checkPrompts, TaskRunner, taskId } from './task-runner.js';

/** Options of {@link batched}. */
export interface BatchedOptions {
  /** Tasks per batch. */
  readonly batchSize: number;
  /**
   * Give each task of a batch the outputs of the previous batch, as `<context>` blocks.
   * @defaultValue false
   */
  readonly passOutput?: boolean;
  readonly signal?: AbortSignal;
}

/** What {@link batched} settles with. */
export interface BatchedResult {
  /** One result per task, in input order. */
  readonly results: readonly QueryResult[];
  /** The ids of each batch, in order. */
  readonly batches: readonly (readonly string[])[];
}

/**
 * Runs tasks in batches, in order: all tasks of a batch at once, the next batch when it is done,
 * optionally passing a batch's outputs to the next.
 *
 * @throws {@link InvalidOptionsError} when a prompt is invalid, naming it (`tasks[2].prompt`),
 *   before any task runs.
 */
export function batched(
  runtime: QueryRunner,
  tasks: readonly PatternTask[],
  options: BatchedOptions,
): PatternRun<BatchedResult> {
  const { batchSize, passOutput = false } = options;
  if (!Number.isInteger(batchSize) || batchSize < 1) {
    throw new RangeError(`Expected \`batchSize\` to be a positive integer, got \`${batchSize}\``);
  }
  checkPrompts(tasks, 'tasks');
  const runner = new TaskRunner(runtime, options.signal, 'batched');
  const result = (async (): Promise<BatchedResult> => {
    const results: QueryResult[] = [];
    const batches: string[][] = [];
    let context: { id: string; text: string }[] = [];
    for (let start = 0; start < tasks.length; start += batchSize) {
      const batch = batches.length;
      const members = tasks.slice(start, start + batchSize);
      const ids = members.map((t, i) => taskId(t, start + i));
      batches.push(ids);
      runner.progress.next({ type: 'batch.started', batch, ids });
      const outputs = await Promise.all(
        members.map((task, i) =>
          runner.run(task, start + i, passOutput ? withContext(task.prompt, context) : task.prompt),
        ),
      );
      runner.progress.next({ type: 'batch.finished', batch, ids });
      results.push(...outputs);
      context = outputs.flatMap((r, i) =>
        r.status === 'succeeded' && r.text !== undefined ? [{ id: ids[i]!, text: r.text }] : [],
      );
    }
    return runner.finish({ results, batches });
  })();
  return { result, progress$: runner.progress.asObservable(), cancel: (r) => runner.cancel(r) };
}
