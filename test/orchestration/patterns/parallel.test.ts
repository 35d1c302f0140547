import { firstValueFrom, toArray } from 'rxjs';
import { describe, expect, it } from 'vitest';
import { parallel } from '../../../src/orchestration/patterns/parallel.js';
import { settle, usePatternRuntime } from './harness.js';

const delays: Record<string, number> = { a: 300, b: 100, c: 200, d: 50, e: 150, f: 250 };
const env = usePatternRuntime((prompt) =>
  prompt === 'bad'
    ? { apiErrorStatus: 400, delayMs: 20 }
    : { text: `out ${prompt}`, delayMs: delays[prompt] ?? 10 },
);

describe('parallel', () => {
  it('returns results in input order and never runs more than maxConcurrent at once', async () => {
    const tasks = Object.keys(delays).map((p) => ({ id: p, prompt: p }));
    const run = parallel(env.runtime, tasks, { maxConcurrent: 2 });
    const { results, succeeded } = await settle(run.result);
    expect(results.map((r) => r.text)).toEqual(tasks.map((t) => `out ${t.prompt}`));
    expect(succeeded).toBe(6);
    expect(env.state.maxLive).toBe(2);
  });

  it('streams results as they complete', async () => {
    const run = parallel(
      env.runtime,
      ['a', 'b', 'c'].map((p) => ({ id: p, prompt: p })),
      { maxConcurrent: 3 },
    );
    const completed = firstValueFrom(run.completed$.pipe(toArray()));
    await settle(run.result);
    expect((await completed).map((c) => c.id)).toEqual(['b', 'c', 'a']);
  });

  it('settle-all: one failure loses none of the other results', async () => {
    const run = parallel(env.runtime, [{ prompt: 'a' }, { prompt: 'bad' }, { prompt: 'c' }], {
      maxConcurrent: 3,
    });
    const { results, failed, succeeded } = await settle(run.result);
    expect(results.map((r) => r.status)).toEqual(['succeeded', 'failed', 'succeeded']);
    expect([succeeded, failed]).toEqual([2, 1]);
    expect(results[1]?.error).toMatchObject({ code: 'API_ERROR', status: 400 });
  });

  it('fail-fast: the first failure cancels running tasks and skips the rest', async () => {
    const run = parallel(
      env.runtime,
      [{ prompt: 'a' }, { prompt: 'bad' }, { prompt: 'c' }, { prompt: 'd' }],
      { maxConcurrent: 2, mode: 'fail-fast' },
    );
    const { results, cancelled } = await settle(run.result);
    expect(results.map((r) => r.status)).toEqual(['cancelled', 'failed', 'cancelled', 'cancelled']);
    expect(cancelled).toBe(3);
    // c and d never reached the CLI.
    expect(env.state.prompts).toEqual(['a', 'bad']);
  });

  it('rejects a maxConcurrent that is not a positive integer', () => {
    expect(() => parallel(env.runtime, [], { maxConcurrent: 0 })).toThrow(/maxConcurrent.*0/);
  });
});
