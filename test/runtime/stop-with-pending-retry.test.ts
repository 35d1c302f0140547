import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createRuntime } from '../../src/runtime/create-runtime.js';
import { scriptedSpawn } from '../helpers/scripted-spawn.js';
import { settle } from '../orchestration/patterns/harness.js';

/** Fake ms from the call until `stopped` resolves (advancing 10 ms at a time, up to 60 s). */
async function msToStop(stopped: Promise<void>): Promise<number> {
  const began = Date.now();
  await settle(stopped);
  return Date.now() - began;
}

describe('runtime.stop() while a retry is pending (fake CLI, fake timers)', () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  it('stops at once while a query waits out its retry backoff; nothing starts after', async () => {
    const { spawn, state } = scriptedSpawn((_prompt, call) =>
      call === 0 ? { apiErrorStatus: 529, delayMs: 10 } : { text: 'ok', delayMs: 10 },
    );
    const runtime = createRuntime({
      defaults: { executable: process.execPath, retry: { maxAttempts: 3, initialDelayMs: 30_000 } },
      processes: { spawn },
    });
    const handle = runtime.query('q');
    const retrying = new Promise((resolve) =>
      handle.events$.subscribe((event) => event.type === 'query.retrying' && resolve(event)),
    );
    await settle(retrying);
    expect(state.calls).toHaveLength(1);
    const ms = await msToStop(runtime.stop({ deadlineMs: 60_000 }));
    expect(ms).toBeLessThan(100);
    expect((await handle.result).status).toBe('cancelled');
    await vi.advanceTimersByTimeAsync(120_000);
    expect(state.calls).toHaveLength(1);
    expect(vi.getTimerCount()).toBe(0);
  });

  it('stops at once while a query waits for a paused rate limiter', async () => {
    const { spawn, state } = scriptedSpawn((prompt) =>
      prompt === 'limited' ? { apiErrorStatus: 429, delayMs: 10 } : { text: 'ok', delayMs: 10 },
    );
    const runtime = createRuntime({
      defaults: { executable: process.execPath, retry: { maxAttempts: 1 } },
      processes: { spawn },
      limiter: { maxConcurrent: 1, defaultPauseMs: 60_000 },
    });
    const limited = runtime.query('limited');
    expect((await settle(limited.result)).error).toMatchObject({ status: 429 });
    const queued = runtime.query('queued');
    await vi.advanceTimersByTimeAsync(1_000);
    expect(state.prompts).toEqual(['limited']);
    const ms = await msToStop(runtime.stop({ deadlineMs: 60_000 }));
    expect(ms).toBeLessThan(100);
    expect((await queued.result).status).toBe('cancelled');
    await vi.advanceTimersByTimeAsync(120_000);
    expect(state.prompts).toEqual(['limited']);
    expect(vi.getTimerCount()).toBe(0);
  });

  it('stops at once while a query refused by an open breaker waits for its probe', async () => {
    const { spawn, state } = scriptedSpawn((prompt) =>
      prompt === 'down' ? { apiErrorStatus: 529, delayMs: 10 } : { text: 'ok', delayMs: 10 },
    );
    const runtime = createRuntime({
      defaults: { executable: process.execPath, retry: { maxAttempts: 4, initialDelayMs: 100 } },
      processes: { spawn },
      breaker: { policy: { kind: 'consecutive', threshold: 1 }, resetTimeout: 60_000 },
    });
    const down = runtime.query('down', { retry: { maxAttempts: 1 } });
    await settle(down.result);
    expect(runtime.system().breaker?.state().state).toBe('open');
    const waiting = runtime.query('waiting');
    await vi.advanceTimersByTimeAsync(1_000);
    expect(state.prompts).toEqual(['down']);
    const ms = await msToStop(runtime.stop({ deadlineMs: 60_000 }));
    expect(ms).toBeLessThan(100);
    expect((await waiting.result).status).toBe('cancelled');
    await vi.advanceTimersByTimeAsync(120_000);
    expect(state.prompts).toEqual(['down']);
    expect(vi.getTimerCount()).toBe(0);
  });
});

describe('runtime.stop() with bad options', () => {
  it.each([
    [{ deadlineMs: 'soon' }, '`"soon"` (string)'],
    [{ deadlineMs: 1e12 }, 'about 24.8 days'],
    [{ deadlineMs: -1 }, '`-1` (number)'],
    [{ deadline: 5 }, 'unknown key'],
  ])('rejects %j naming the field, and stops nothing', async (options, received) => {
    const { spawn, state } = scriptedSpawn(() => ({ text: 'ok', delayMs: 1 }));
    const runtime = createRuntime({
      defaults: { executable: process.execPath, retry: { maxAttempts: 1 } },
      processes: { spawn },
    });
    const error = await runtime.stop(options as never).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'INVALID_OPTIONS' });
    expect(String((error as Error).message)).toContain(received);
    expect(String((error as Error).message)).toMatch(/deadline/);
    // Still running: a query after the refused stop is answered.
    expect((await runtime.query('q').result).status).toBe('succeeded');
    expect(state.calls).toHaveLength(1);
    await runtime.stop();
  });
});
