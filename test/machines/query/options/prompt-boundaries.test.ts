import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { InvalidOptionsError } from '../../../../src/core/validation/invalid-options-error.js';
import { createQueryActor } from '../../../../src/machines/query/create-query-actor.js';
import { queryChildSpec } from '../../../../src/machines/query/query-child-spec.js';
import { runQuery } from '../../../../src/machines/query/run-query.js';
import { batched } from '../../../../src/orchestration/patterns/batched.js';
import { fallback } from '../../../../src/orchestration/patterns/fallback.js';
import { parallel } from '../../../../src/orchestration/patterns/parallel.js';
import { pipeline } from '../../../../src/orchestration/patterns/pipeline.js';
import { withRetry } from '../../../../src/orchestration/patterns/with-retry.js';
import { parsePlan } from '../../../../src/orchestration/plan/parse-plan.js';
import { runTaskQueue } from '../../../../src/orchestration/task-queue/run-task-queue.js';
import { createRuntime, type Runtime } from '../../../../src/runtime/create-runtime.js';
import { scriptedSpawn } from '../../../helpers/scripted-spawn.js';

/** Every way a prompt can be wrong, with how the error renders the value. */
const BAD_PROMPTS: readonly [string, unknown, string][] = [
  ['a number', 42, '`42` (number)'],
  ['null', null, '`null` (null)'],
  ['undefined', undefined, 'nothing'],
  ['an object', { text: 'hi' }, '`{"text":"hi"}` (object)'],
  ['an array of strings', ['hi'], '`"hi"` (string)'],
  ['an empty string', '', '`""` (string)'],
  ['a whitespace-only string', '  \n\t', '(string)'],
  ['an empty array', [], '`[]` (array)'],
];

const executable = process.execPath;

function thrown(run: () => unknown): InvalidOptionsError {
  try {
    run();
  } catch (error) {
    if (error instanceof InvalidOptionsError) return error;
    throw error;
  }
  throw new Error('expected an InvalidOptionsError');
}

describe('prompts are checked at every entry point, before anything is spawned', () => {
  let fake: ReturnType<typeof scriptedSpawn>;
  let spawn: ReturnType<typeof vi.fn<ReturnType<typeof scriptedSpawn>['spawn']>>;
  let runtime: Runtime;
  beforeEach(() => {
    vi.useFakeTimers();
    fake = scriptedSpawn(() => ({ text: 'ok' }));
    spawn = vi.fn(fake.spawn);
    runtime = createRuntime({
      defaults: { executable, retry: { maxAttempts: 1 } },
      processes: { spawn },
    });
  });
  afterEach(async () => {
    const stopped = runtime.stop({ deadlineMs: 0 });
    await vi.runAllTimersAsync();
    await stopped;
    vi.useRealTimers();
  });

  describe.each(BAD_PROMPTS)('%s', (_name, prompt, received) => {
    const bad = prompt as never;

    it('runQuery and createQueryActor throw, naming `prompt` and the value', () => {
      for (const run of [
        () => runQuery(bad, { executable }, { spawn }),
        () => createQueryActor(bad, { executable }, { spawn }),
        () => queryChildSpec('q', bad, { executable }, { spawn }),
      ]) {
        const error = thrown(run);
        expect(error.message).toMatch(/^Invalid argument `prompt(`|\[0\]`)/);
        expect(error.message).toContain(received);
      }
      expect(spawn).not.toHaveBeenCalled();
    });

    it('runtime.query throws, and nothing runs', async () => {
      expect(thrown(() => runtime.query(bad)).issues[0]?.path).toMatch(/^prompt/);
      await vi.runAllTimersAsync();
      expect(runtime.running()).toEqual([]);
      expect(spawn).not.toHaveBeenCalled();
    });

    it('parallel, batched, fallback and pipeline throw naming the task, and run none', () => {
      const tasks = [{ prompt: 'fine' }, { prompt: bad }];
      expect(thrown(() => parallel(runtime, tasks)).message).toMatch(
        /^Invalid argument `tasks\[1\]\.prompt(`|\[0\]`)/,
      );
      expect(thrown(() => batched(runtime, tasks, { batchSize: 1 })).message).toMatch(
        /^Invalid argument `tasks\[1\]\.prompt(`|\[0\]`)/,
      );
      expect(thrown(() => fallback(runtime, tasks)).message).toMatch(
        /^Invalid argument `alternatives\[1\]\.prompt(`|\[0\]`)/,
      );
      expect(thrown(() => pipeline(runtime, tasks)).message).toMatch(
        /^Invalid argument `steps\[1\]\.prompt(`|\[0\]`)/,
      );
      expect(spawn).not.toHaveBeenCalled();
    });

    it('a pipeline step function that returns it fails that step, and spawns nothing for it', async () => {
      const run = pipeline(runtime, [
        { id: 'one', prompt: 'fine' },
        { id: 'two', prompt: () => bad },
      ]);
      await vi.runAllTimersAsync();
      const result = await run.result;
      expect(result.status).toBe('failed');
      expect(result.failedStep).toBe('two');
      expect(result.outputs[1]?.error).toBeInstanceOf(InvalidOptionsError);
      expect(result.outputs[1]?.error?.message).toMatch(
        /^Invalid argument `steps\[1\]\.prompt\(\)(`|\[0\]`)/,
      );
      expect(spawn).toHaveBeenCalledTimes(1);
    });

    it('withRetry ends with the refusal at once instead of retrying it', async () => {
      const run = vi.fn(() => runtime.query(bad).result);
      const result = await withRetry(run, { attempts: 3 });
      expect(result.status).toBe('failed');
      expect(result.error).toBeInstanceOf(InvalidOptionsError);
      expect(result.patternAttempts).toBe(1);
      expect(run).toHaveBeenCalledTimes(1);
    });
  });

  it('a plan refuses a whitespace-only task prompt, naming the task', () => {
    expect(() => parsePlan({ tasks: [{ id: 'a', prompt: ' \n ' }] })).toThrow(
      /tasks\[0\]\.prompt.*whitespace-only/s,
    );
  });

  it('the task queue fails a task whose built prompt is blank, and spawns nothing for it', async () => {
    // `{{deps.a}}` with an empty output leaves nothing to ask.
    fake = scriptedSpawn((prompt) => ({ text: prompt === 'first' ? ' ' : 'ok' }));
    const quiet = createRuntime({ defaults: { executable }, processes: { spawn: fake.spawn } });
    const run = runTaskQueue(quiet, {
      tasks: [
        { id: 'a', prompt: 'first' },
        { id: 'b', prompt: '{{deps.a}}', dependsOn: ['a'] },
      ],
    });
    await vi.runAllTimersAsync();
    const summary = await run.result;
    const stopped = quiet.stop({ deadlineMs: 0 });
    await vi.runAllTimersAsync();
    await stopped;
    const b = summary.tasks.find((t) => t.id === 'b');
    expect(b?.status).toBe('failed');
    expect(b?.errorCode).toBe('INVALID_OPTIONS');
    expect(b?.error).toContain('Invalid argument `tasks[1].prompt`');
    expect(fake.state.prompts).toEqual(['first']);
  });
});
