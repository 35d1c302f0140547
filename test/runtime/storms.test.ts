import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createRuntime } from '../../src/runtime/create-runtime.js';
import { scriptedSpawn } from '../helpers/scripted-spawn.js';
import { settle } from '../orchestration/patterns/harness.js';

describe('429/529 storms in a runtime (fake CLI, fake timers)', () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  async function stop(runtime: ReturnType<typeof createRuntime>): Promise<void> {
    const stopped = runtime.stop();
    await vi.runAllTimersAsync();
    await stopped;
  }

  it('pauses the limiter before the failed attempt frees its slot: the next query waits', async () => {
    const { spawn, state } = scriptedSpawn((prompt) =>
      prompt === 'limited' ? { apiErrorStatus: 429, delayMs: 10 } : { text: 'ok', delayMs: 10 },
    );
    const runtime = createRuntime({
      defaults: { executable: process.execPath, retry: { maxAttempts: 1 } },
      processes: { spawn },
      limiter: { maxConcurrent: 1, defaultPauseMs: 5_000 },
    });
    const limited = runtime.query('limited');
    const queued = runtime.query('queued');
    const first = await settle(limited.result);
    expect(first.error).toMatchObject({ code: 'API_ERROR', status: 429 });
    await vi.advanceTimersByTimeAsync(4_000);
    // Released after the pause began: the queued query has not started into the 429.
    expect(state.prompts).toEqual(['limited']);
    expect((await settle(queued.result)).status).toBe('succeeded');
    const limitedEnd = state.calls[0]?.endedAt ?? 0;
    expect((state.calls[1]?.startedAt ?? 0) - limitedEnd).toBeGreaterThanOrEqual(4_900);
    await stop(runtime);
  });

  it('under default settings a burst of 429s never opens the breaker; no query is lost', async () => {
    let storm = true;
    const { spawn } = scriptedSpawn(() =>
      storm ? { apiErrorStatus: 429, delayMs: 10 } : { text: 'ok', delayMs: 10 },
    );
    const runtime = createRuntime({
      defaults: { executable: process.execPath },
      processes: { spawn },
      limiter: { maxConcurrent: 20, defaultPauseMs: 1_000 },
    });
    const handles = Array.from({ length: 20 }, (_, i) => runtime.query(`q${i}`));
    await vi.advanceTimersByTimeAsync(50);
    storm = false;
    const results = await settle(Promise.all(handles.map((h) => h.result)));
    expect(results.map((r) => r.status)).toEqual(Array(20).fill('succeeded'));
    expect(runtime.system().breaker?.state().state).toBe('closed');
    await stop(runtime);
  });

  it('restarts queries refused by an open breaker within their retry budget, after its reset', async () => {
    let down = true;
    const { spawn, state } = scriptedSpawn(() =>
      down ? { apiErrorStatus: 529, delayMs: 10 } : { text: 'ok', delayMs: 10 },
    );
    const runtime = createRuntime({
      defaults: { executable: process.execPath, retry: { maxAttempts: 4, initialDelayMs: 100 } },
      processes: { spawn },
      limiter: { maxConcurrent: 2 },
      breaker: { policy: { kind: 'consecutive', threshold: 2 }, resetTimeout: 2_000 },
    });
    const handles = Array.from({ length: 20 }, (_, i) => runtime.query(`q${i}`));
    await vi.advanceTimersByTimeAsync(100);
    expect(runtime.system().breaker?.state().state).toBe('open');
    down = false;
    const results = await settle(Promise.all(handles.map((h) => h.result)));
    expect(results.filter((r) => r.error?.code === 'CIRCUIT_OPEN')).toEqual([]);
    expect(results.map((r) => r.status)).toEqual(Array(20).fill('succeeded'));
    // Two attempts hit the outage; every other query started once, after the breaker's reset.
    expect(state.calls.length).toBeLessThanOrEqual(24);
    await stop(runtime);
  });
});
