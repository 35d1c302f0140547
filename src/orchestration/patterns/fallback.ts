import type { QueryResult } from '../../machines/query/query-types.js';
import type { PatternRun, PatternTask, QueryRunner } from './pattern-types.js';
import { checkPrompts, TaskRunner, taskId } from './task-runner.js';

/** What {@link fallback} settles with. */
export interface FallbackResult {
  readonly status: 'succeeded' | 'failed' | 'cancelled';
  /** The successful alternative's result, or the last one tried. */
  readonly result: QueryResult | undefined;
  /** Which alternative succeeded. */
  readonly succeededWith: { readonly index: number; readonly id: string } | undefined;
  /** Every alternative tried, in order. */
  readonly tried: readonly { readonly id: string; readonly result: QueryResult }[];
}

/**
 * Tries alternatives in order (other models, other prompts) until one succeeds, and reports
 * which one did.
 *
 * @example
 * await fallback(runtime, [
 *   { id: 'opus', prompt, options: { model: 'opus' } },
 *   { id: 'sonnet', prompt, options: { model: 'sonnet' } },
 * ]).result;
 *
 * @throws {@link InvalidOptionsError} when a prompt is invalid, naming it (`alternatives[2].prompt`),
 *   before any task runs.
 */
export function fallback(
  runtime: QueryRunner,
  alternatives: readonly PatternTask[],
  options: { readonly signal?: AbortSignal } = {},
): PatternRun<FallbackResult> {
  checkPrompts(alternatives, 'alternatives');
  const runner = new TaskRunner(runtime, options.signal, 'fallback');
  const result = (async (): Promise<FallbackResult> => {
    const tried: { id: string; result: QueryResult }[] = [];
    for (const [index, alternative] of alternatives.entries()) {
      const id = taskId(alternative, index);
      const attempt = await runner.run(alternative, index);
      tried.push({ id, result: attempt });
      if (attempt.status === 'succeeded') {
        return runner.finish({
          status: 'succeeded',
          result: attempt,
          succeededWith: { index, id },
          tried,
        });
      }
      if (attempt.status === 'cancelled') break;
    }
    const last = tried.at(-1)?.result;
    return runner.finish({
      status: last?.status === 'cancelled' ? 'cancelled' : 'failed',
      result: last,
      succeededWith: undefined,
      tried,
    });
  })();
  return { result, progress$: runner.progress.asObservable(), cancel: (r) => runner.cancel(r) };
}
