import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { QueryEvent } from '../../src/machines/query/query-types.js';
import { createRuntime } from '../../src/runtime/create-runtime.js';
import { scriptedSpawn } from '../helpers/scripted-spawn.js';
import { settle } from '../orchestration/patterns/harness.js';

/** The first call of each prompt is overloaded (costing 0.002), the next ones answer. */
const overloadedOnce = (prompt: string, _call: number, { n }: { n: number }) =>
  n === 1
    ? { apiErrorStatus: 529, delayMs: 10, costUsd: 0.002 }
    : { text: `ok ${prompt}`, delayMs: 10, costUsd: 0.01 };

describe('runtime queries retry by restart on one query history (fake CLI, fake timers)', () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  function runtimeWith(maxAttempts = 3) {
    const { spawn, state } = scriptedSpawn(overloadedOnce);
    const runtime = createRuntime({
      defaults: {
        executable: process.execPath,
        retry: { maxAttempts, initialDelayMs: 1_000, multiplier: 2, jitter: 0 },
      },
      processes: { spawn },
    });
    return { runtime, state };
  }

  async function stop(runtime: ReturnType<typeof createRuntime>): Promise<void> {
    const stopped = runtime.stop({ deadlineMs: 0 });
    await vi.runAllTimersAsync();
    await stopped;
  }

  it('a restart is an attempt: one result over both, one retrying event, the backoff waited', async () => {
    const { runtime, state } = runtimeWith();
    const handle = runtime.query('q');
    const events: QueryEvent[] = [];
    handle.events$.subscribe((e) => events.push(e));
    const result = await settle(handle.result);
    expect(result).toMatchObject({ status: 'succeeded', text: 'ok q', attempts: 2 });
    expect(result.costUsd).toBeCloseTo(0.012, 10);
    expect(result.attemptErrors.map((e) => e.code)).toEqual(['API_ERROR']);
    // Announced once, by the instance that planned it (not again by the runtime).
    expect(events.filter((e) => e.type === 'query.retrying')).toEqual([
      expect.objectContaining({ attempt: 1, delayMs: 1_000 }),
    ]);
    expect(events.filter((e) => e.type === 'query.spawned').map((e) => e.attempt)).toEqual([1, 2]);
    const [first, second] = state.calls;
    expect(second!.startedAt - first!.endedAt!).toBeGreaterThanOrEqual(1_000);
    await stop(runtime);
  });

  it('gives up after retry.maxAttempts restarts, with every attempt error', async () => {
    const { spawn } = scriptedSpawn(() => ({ apiErrorStatus: 529, delayMs: 10, costUsd: 0.002 }));
    const runtime = createRuntime({
      defaults: {
        executable: process.execPath,
        retry: { maxAttempts: 3, initialDelayMs: 100, jitter: 0 },
      },
      processes: { spawn },
    });
    const result = await settle(runtime.query('down').result);
    expect(result).toMatchObject({ status: 'failed', attempts: 3, error: { status: 529 } });
    expect(result.attemptErrors).toHaveLength(3);
    expect(result.costUsd).toBeCloseTo(0.006, 10);
    await stop(runtime);
  });

  it('running() shows the attempt under way, from the history of the instances', async () => {
    const { runtime } = runtimeWith();
    const handle = runtime.query('q');
    await vi.advanceTimersByTimeAsync(500);
    // The second instance is waiting out the backoff before attempt 2.
    expect(runtime.running()).toEqual([expect.objectContaining({ attempts: 2 })]);
    handle.cancel('enough');
    const result = await settle(handle.result);
    // Cancelled between attempts: as runQuery counts it, the one attempt made, its cost once.
    expect(result).toMatchObject({ status: 'cancelled', attempts: 1, costUsd: 0.002 });
    expect(result.attemptErrors).toHaveLength(1);
    await stop(runtime);
  });
});
