import { firstValueFrom, toArray } from 'rxjs';
import { describe, expect, it } from 'vitest';
import { batched } from '../../../src/orchestration/patterns/batched.js';
import { fallback } from '../../../src/orchestration/patterns/fallback.js';
import { withRetry } from '../../../src/orchestration/patterns/with-retry.js';
import { settle, usePatternRuntime } from './harness.js';

const env = usePatternRuntime((prompt, call) => {
  if (prompt.startsWith('down')) return { apiErrorStatus: 400 };
  if (prompt.startsWith('json')) return { text: call === 0 ? 'not json' : '{"ok":true}' };
  return { text: `<${prompt.split('\n')[0]}>`, delayMs: prompt.startsWith('slow') ? 200 : 20 };
});

describe('fallback', () => {
  it('tries alternatives in order until one succeeds and reports which', async () => {
    const { status, succeededWith, tried, result } = await settle(
      fallback(env.runtime, [
        { id: 'primary', prompt: 'down primary' },
        { id: 'secondary', prompt: 'down secondary' },
        { id: 'tertiary', prompt: 'works' },
        { id: 'unused', prompt: 'unused' },
      ]).result,
    );
    expect(status).toBe('succeeded');
    expect(succeededWith).toEqual({ index: 2, id: 'tertiary' });
    expect(tried.map((t) => [t.id, t.result.status])).toEqual([
      ['primary', 'failed'],
      ['secondary', 'failed'],
      ['tertiary', 'succeeded'],
    ]);
    expect(result?.text).toBe('<works>');
    expect(env.state.prompts).not.toContain('unused');
  });

  it('fails when every alternative fails', async () => {
    const { status, succeededWith } = await settle(
      fallback(env.runtime, [{ prompt: 'down 1' }, { prompt: 'down 2' }]).result,
    );
    expect(status).toBe('failed');
    expect(succeededWith).toBeUndefined();
  });
});

describe('withRetry', () => {
  it('retries an output that fails validation, telling the next attempt why', async () => {
    const feedbacks: (string | undefined)[] = [];
    const result = await settle(
      withRetry(
        ({ feedback }) => {
          feedbacks.push(feedback);
          return env.runtime.query(feedback ? `json again: ${feedback}` : 'json please').result;
        },
        { attempts: 3, validate: (r) => (r.text?.startsWith('{') ? true : 'answer with JSON') },
      ),
    );
    expect(result).toMatchObject({ status: 'succeeded', text: '{"ok":true}', patternAttempts: 2 });
    expect(feedbacks).toEqual([undefined, 'answer with JSON']);
    expect(env.state.prompts).toEqual(['json please', 'json again: answer with JSON']);
  });

  it('gives up after the attempts with a failed result saying why', async () => {
    const result = await settle(
      withRetry(() => env.runtime.query('plain').result, {
        attempts: 2,
        validate: () => 'never good',
      }),
    );
    expect(result.status).toBe('failed');
    expect(result.patternAttempts).toBe(2);
    expect(result.error?.message).toContain('never good');
  });

  it('retries failed results unless told not to', async () => {
    const once = await settle(
      withRetry(() => env.runtime.query('down always').result, {
        attempts: 3,
        retryFailures: false,
      }),
    );
    expect(once.patternAttempts).toBe(1);
    const thrice = await settle(
      withRetry(() => env.runtime.query('down always').result, { attempts: 3 }),
    );
    expect(thrice.patternAttempts).toBe(3);
  });
});

describe('batched', () => {
  it('runs batches in order, each batch at once, never starting a batch early', async () => {
    const run = batched(
      env.runtime,
      ['slow 0', 'a1', 'b2', 'slow 3', 'c4'].map((prompt, i) => ({ id: `t${i}`, prompt })),
      { batchSize: 2 },
    );
    const events = firstValueFrom(run.progress$.pipe(toArray()));
    const { results, batches } = await settle(run.result);
    expect(batches).toEqual([['t0', 't1'], ['t2', 't3'], ['t4']]);
    expect(results.map((r) => r.text)).toEqual(['<slow 0>', '<a1>', '<b2>', '<slow 3>', '<c4>']);
    const order = (await events)
      .map((e) =>
        e.type === 'task.started'
          ? `start ${e.id}`
          : e.type === 'batch.finished'
            ? `end ${e.batch}`
            : undefined,
      )
      .filter(Boolean);
    expect(order).toEqual([
      'start t0',
      'start t1',
      'end 0',
      'start t2',
      'start t3',
      'end 1',
      'start t4',
      'end 2',
    ]);
    expect(env.state.maxLive).toBe(2);
  });

  it("passes a batch's outputs to the next batch", async () => {
    await settle(
      batched(
        env.runtime,
        ['a', 'b', 'c'].map((prompt) => ({ id: prompt, prompt })),
        {
          batchSize: 2,
          passOutput: true,
        },
      ).result,
    );
    expect(env.state.prompts[2]).toBe(
      'c\n\n<context source="a">\n<a>\n</context>\n<context source="b">\n<b>\n</context>',
    );
  });
});
