import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { batched } from '../../src/orchestration/patterns/batched.js';
import { fallback } from '../../src/orchestration/patterns/fallback.js';
import { parallel } from '../../src/orchestration/patterns/parallel.js';
import { pipeline } from '../../src/orchestration/patterns/pipeline.js';
import { withRetry } from '../../src/orchestration/patterns/with-retry.js';
import { createRuntime, type Runtime } from '../../src/runtime/create-runtime.js';
import { useSimulator } from '../helpers/integration.js';

const sim = useSimulator();
let runtime: Runtime;
beforeAll(() => {
  runtime = createRuntime({ defaults: { ...sim.env.options, retry: { maxAttempts: 1 } } });
});
afterAll(() => runtime.stop());

describe('patterns on the runtime (real CLI against the simulator)', () => {
  it('parallel: three queries, at most two at once, results in input order', async () => {
    sim.env.simulator.on(/^par-/, { kind: 'text', text: 'parallel answer', chunkDelayMs: 30 });
    const { results } = await parallel(
      runtime,
      ['par-1', 'par-2', 'par-3'].map((prompt) => ({ prompt })),
      {
        maxConcurrent: 2,
      },
    ).result;
    expect(results.map((r) => r.status)).toEqual(['succeeded', 'succeeded', 'succeeded']);
    expect(sim.env.simulator.requests.map((r) => r.prompt).sort()).toEqual([
      'par-1',
      'par-2',
      'par-3',
    ]);
  });

  it("pipeline: the second step's request carries the first step's output", async () => {
    sim.env.simulator.on('outline the essay', { kind: 'text', text: 'OUTLINE: intro, body, end' });
    sim.env.simulator.on('write the essay', { kind: 'text', text: 'ESSAY' });
    const { status, final } = await pipeline(runtime, [
      { id: 'outline', prompt: 'outline the essay' },
      { id: 'draft', prompt: 'write the essay' },
    ]).result;
    expect(status).toBe('succeeded');
    expect(final?.text).toBe('ESSAY');
    expect(sim.env.simulator.requests[1]?.prompt).toContain('OUTLINE: intro, body, end');
  });

  it('fallback: a rejected first alternative falls back to the second', async () => {
    sim.env.simulator.on('primary model', {
      kind: 'error',
      status: 400,
      message: 'model not available',
    });
    sim.env.simulator.on('backup model', { kind: 'text', text: 'backup answer' });
    const run = await fallback(runtime, [
      { id: 'primary', prompt: 'primary model' },
      { id: 'backup', prompt: 'backup model' },
    ]).result;
    expect(run.succeededWith?.id).toBe('backup');
    expect(run.tried[0]?.result.error).toMatchObject({ code: 'API_ERROR', status: 400 });
  });

  it('withRetry: an output failing validation is asked for again', async () => {
    sim.env.simulator.on('give json', [
      { kind: 'text', text: 'sorry, no' },
      { kind: 'text', text: '{"ok":true}' },
    ]);
    const result = await withRetry(
      ({ feedback }) => runtime.query(feedback ? `give json (${feedback})` : 'give json').result,
      { validate: (r) => (r.text?.startsWith('{') ? true : 'reply with JSON only') },
    );
    expect(result).toMatchObject({ status: 'succeeded', text: '{"ok":true}', patternAttempts: 2 });
  });

  it("batched: the second batch's requests carry the first batch's outputs", async () => {
    sim.env.simulator.on(/^batch-1/, { kind: 'text', text: 'FIRST-BATCH-OUTPUT' });
    const { batches } = await batched(
      runtime,
      [
        { id: 'b1', prompt: 'batch-1' },
        { id: 'b2', prompt: 'batch-2' },
      ],
      { batchSize: 1, passOutput: true },
    ).result;
    expect(batches).toEqual([['b1'], ['b2']]);
    expect(sim.env.simulator.requests.at(-1)?.prompt).toContain('FIRST-BATCH-OUTPUT');
  });
});
