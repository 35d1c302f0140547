import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createRuntime } from '../../src/runtime/create-runtime.js';
import { scriptedSpawn } from '../helpers/scripted-spawn.js';
import { settle } from '../orchestration/patterns/harness.js';

const replies = (prompt: string) =>
  prompt.startsWith('overloaded')
    ? { apiErrorStatus: 529, delayMs: 10 }
    : prompt.startsWith('slow')
      ? { text: 'slow done', delayMs: 60_000 }
      : { text: `ok ${prompt}`, delayMs: 10 };

describe('the runtime when its queries supervisor gives up', () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  function runtimeWith(extra: Parameters<typeof createRuntime>[0] = {}) {
    const { spawn, state } = scriptedSpawn(replies);
    const runtime = createRuntime({
      defaults: { executable: process.execPath, retry: { maxAttempts: 3, initialDelayMs: 100 } },
      processes: { spawn },
      ...extra,
    });
    return { runtime, state };
  }

  it('settles a query whose restart trips the intensity limit, failed with its last error', async () => {
    const { runtime } = runtimeWith({ queries: { intensity: 0 } });
    const result = await settle(runtime.query('overloaded now').result);
    expect(result.status).toBe('failed');
    expect(result.error).toMatchObject({ code: 'API_ERROR', status: 529 });
    expect(runtime.running()).toEqual([]);
    // The root restarted the queries supervisor: new queries run.
    expect((await settle(runtime.query('after').result)).status).toBe('succeeded');
    const stopped = runtime.stop();
    await vi.runAllTimersAsync();
    await stopped;
  });

  it('returns the permits of queries killed by the give-up, so admission goes on', async () => {
    const { runtime } = runtimeWith({
      queries: { intensity: 0, shutdownMs: 0 },
      limiter: { maxConcurrent: 2 },
    });
    const slow = runtime.query('slow one');
    await vi.advanceTimersByTimeAsync(5);
    const failing = await settle(runtime.query('overloaded').result);
    expect(failing.status).toBe('failed');
    expect((await settle(slow.result)).status).toBe('cancelled');
    await vi.advanceTimersByTimeAsync(0);
    expect(runtime.system().limiter?.state().inFlight).toBe(0);
    const next = await settle(Promise.all([runtime.query('a').result, runtime.query('b').result]));
    expect(next.map((r) => r.status)).toEqual(['succeeded', 'succeeded']);
    const stopped = runtime.stop();
    await vi.runAllTimersAsync();
    await stopped;
  });

  it('on stop, cancels a query still waiting for its permit without starting it', async () => {
    const { runtime, state } = runtimeWith({ limiter: { maxConcurrent: 1 } });
    const first = runtime.query('slow first');
    const waiting = runtime.query('never started');
    await vi.advanceTimersByTimeAsync(5);
    expect(JSON.stringify(runtime.running().map((q) => q.state))).toContain('waitingForPermit');
    const stopped = runtime.stop({ deadlineMs: 120_000 });
    await vi.advanceTimersByTimeAsync(70_000);
    await stopped;
    expect((await waiting.result).status).toBe('cancelled');
    expect((await first.result).status).toBe('succeeded');
    expect(state.prompts).toEqual(['slow first']);
  });
});

describe('timeouts.totalMs in the runtime', () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  it('is the whole query, across supervisor restarts and their backoff', async () => {
    const { spawn, state } = scriptedSpawn(() => ({ apiErrorStatus: 529, delayMs: 400 }));
    const runtime = createRuntime({
      defaults: {
        executable: process.execPath,
        retry: { maxAttempts: 10, initialDelayMs: 300, jitter: 0 },
      },
      processes: { spawn },
    });
    const started = Date.now();
    const result = await settle(
      runtime.query('keeps failing', { timeouts: { totalMs: 2_000 } }).result,
    );
    expect(result.status).toBe('failed');
    // Attempts of 400 ms with 300, 600… ms between them: the 2 s budget allows three, not ten.
    expect(state.prompts.length).toBeLessThanOrEqual(3);
    expect(Date.now() - started).toBeLessThanOrEqual(2_100);
    const stopped = runtime.stop();
    await vi.runAllTimersAsync();
    await stopped;
  });
});
