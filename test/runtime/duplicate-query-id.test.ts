import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { InvalidOptionsError } from '../../src/core/validation/invalid-options-error.js';
import { createRuntime } from '../../src/runtime/create-runtime.js';
import { scriptedSpawn } from '../helpers/scripted-spawn.js';

beforeEach(() => vi.useFakeTimers());
afterEach(() => vi.useRealTimers());

describe('runtime.query with a caller-chosen queryId', () => {
  it('refuses the id of a query still running, and takes it again once that query ended', async () => {
    const { spawn, state } = scriptedSpawn(() => ({ text: 'done', delayMs: 1_000 }));
    const runtime = createRuntime({
      defaults: { executable: process.execPath },
      processes: { spawn },
    });
    const first = runtime.query('one', {}, { queryId: 'job-1' });
    let refused: unknown;
    try {
      runtime.query('two', {}, { queryId: 'job-1' });
    } catch (error) {
      refused = error;
    }
    expect(refused).toBeInstanceOf(InvalidOptionsError);
    expect((refused as InvalidOptionsError).issues[0]).toMatchObject({ path: 'queryId' });
    expect(String((refused as Error).message)).toContain('"job-1"');
    await vi.advanceTimersByTimeAsync(2_000);
    await expect(first.result).resolves.toMatchObject({ status: 'succeeded', queryId: 'job-1' });
    expect(state.prompts).toEqual(['one']);

    const again = runtime.query('three', {}, { queryId: 'job-1' });
    await vi.advanceTimersByTimeAsync(2_000);
    await expect(again.result).resolves.toMatchObject({ status: 'succeeded' });
    const stopped = runtime.stop({ deadlineMs: 0 });
    await vi.runAllTimersAsync();
    await stopped;
  });
});
