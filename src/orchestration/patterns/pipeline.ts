import { InvalidOptionsError } from '../../core/validation/invalid-options-error.js';
import { promptIssues } from '../../machines/query/options/parse-prompt.js';
import type { QueryOptions } from '../../machines/query/options/query-options.js';
import type { QueryPrompt, QueryResult } from '../../machines/query/query-types.js';
import { unfinishedResult } from '../../machines/query/unfinished-result.js';
import { withContext } from './context-block.js';
import type { PatternRun, QueryRunner } from './pattern-types.js';
import { checkPrompts, notRunResult, TaskRunner } from './task-runner.js';

/** One step of a {@link pipeline}. */
export interface PipelineStep {
  readonly id?: string;
  /**
   * A prompt, or a function of the outputs so far (then no context is added for you). A
   * function that returns an invalid prompt (not a non-empty string or array of content
   * blocks) fails its step with an `InvalidOptionsError`; nothing is spawned for it.
   */
  readonly prompt: QueryPrompt | ((outputs: readonly QueryResult[]) => QueryPrompt);
  readonly options?: QueryOptions;
  readonly tags?: readonly string[];
}

/** Options of {@link pipeline}. */
export interface PipelineOptions {
  /**
   * Give each step the previous step's output as a `<context source="…">` block after its
   * prompt. Steps whose prompt is a function build their own prompt instead.
   * @defaultValue true
   */
  readonly useContext?: boolean;
  readonly signal?: AbortSignal;
}

/** What {@link pipeline} settles with. */
export interface PipelineResult {
  readonly status: 'succeeded' | 'failed' | 'cancelled';
  /** Results of the steps that ran, in order. */
  readonly outputs: readonly QueryResult[];
  /** The last step's result, when every step succeeded. */
  readonly final: QueryResult | undefined;
  /** The step that failed (or was cancelled), by id. */
  readonly failedStep: string | undefined;
}

/**
 * Runs steps one after another, each step's output becoming context for the next; stops at the
 * first step that does not succeed and names it.
 *
 * @example
 * const { final } = await pipeline(runtime, [
 *   { id: 'outline', prompt: 'Outline an essay on actors.' },
 *   { id: 'draft', prompt: 'Write the essay from this outline.' },
 * ]).result;
 *
 * @throws {@link InvalidOptionsError} when a step's prompt (not a prompt function) is invalid,
 *   naming it (`steps[1].prompt`), before any step runs.
 */
export function pipeline(
  runtime: QueryRunner,
  steps: readonly PipelineStep[],
  options: PipelineOptions = {},
): PatternRun<PipelineResult> {
  const { useContext = true } = options;
  checkPrompts(steps, 'steps');
  const runner = new TaskRunner(runtime, options.signal, 'pipeline');
  const result = (async (): Promise<PipelineResult> => {
    const outputs: QueryResult[] = [];
    for (const [index, step] of steps.entries()) {
      const id = step.id ?? String(index);
      const previous = outputs.at(-1);
      const prompt =
        typeof step.prompt === 'function'
          ? step.prompt(outputs)
          : useContext && previous?.text !== undefined
            ? withContext(step.prompt, [
                { id: steps[index - 1]!.id ?? String(index - 1), text: previous.text },
              ])
            : step.prompt;
      const issues = promptIssues(prompt, `steps[${index}].prompt()`);
      const stepResult = runner.cancelled
        ? notRunResult(id, 'the pipeline was cancelled')
        : issues.length > 0
          ? unfinishedResult({
              queryId: id,
              status: 'failed',
              error: new InvalidOptionsError(issues, 'argument'),
            })
          : await runner.run({ ...step, id, prompt }, index, prompt);
      outputs.push(stepResult);
      if (stepResult.status !== 'succeeded') {
        return runner.finish({
          status: stepResult.status === 'cancelled' ? 'cancelled' : 'failed',
          outputs,
          final: undefined,
          failedStep: id,
        });
      }
    }
    return runner.finish({
      status: 'succeeded',
      outputs,
      final: outputs.at(-1),
      failedStep: undefined,
    });
  })();
  return { result, progress$: runner.progress.asObservable(), cancel: (r) => runner.cancel(r) };
}
