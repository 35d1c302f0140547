import { afterEach, beforeEach, describe, expect, expectTypeOf, it, vi } from 'vitest';
import type { Stats, StatsEntry } from '../../src/resilience/budget/stats.js';
import { createRuntime, type Runtime } from '../../src/runtime/create-runtime.js';
import { scriptedSpawn } from '../helpers/scripted-spawn.js';
import { settle } from '../orchestration/patterns/harness.js';

describe('runtime.stats()', () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  function runtimeWith(extra: Parameters<typeof createRuntime>[0] = {}): Runtime {
    const { spawn } = scriptedSpawn((prompt) => ({ text: `ok ${prompt}`, costUsd: 0.25 }));
    return createRuntime({
      defaults: { executable: process.execPath, retry: { maxAttempts: 1 } },
      processes: { spawn },
      ...extra,
    });
  }

  async function stop(runtime: Runtime): Promise<void> {
    const stopped = runtime.stop({ deadlineMs: 0 });
    await vi.runAllTimersAsync();
    await stopped;
  }

  it('is typed as always present, `total` included', () => {
    expectTypeOf<ReturnType<Runtime['stats']>>().toEqualTypeOf<Stats>();
    expectTypeOf<ReturnType<Runtime['stats']>['total']>().toEqualTypeOf<StatsEntry>();
  });

  it('counts queries with the default budget', async () => {
    const runtime = runtimeWith();
    await settle(runtime.query('a', {}, { tags: ['t'] }).result);
    const stats = runtime.stats();
    expect(stats.total).toMatchObject({ queries: 1, succeeded: 1, costUsd: 0.25 });
    expect(stats.byTag.t?.queries).toBe(1);
    await stop(runtime);
  });

  it('still counts queries with `budget: false` (no budget actor)', async () => {
    const runtime = runtimeWith({ budget: false });
    expect(runtime.stats().total.queries).toBe(0);
    await settle(runtime.query('a', {}, { tags: ['t'] }).result);
    await settle(runtime.query('b').result);
    const stats = runtime.stats();
    expect(stats.total).toMatchObject({ queries: 2, succeeded: 2, refused: 0 });
    expect(stats.total.costUsd).toBeCloseTo(0.5, 9);
    expect(stats.byTag.t?.queries).toBe(1);
    expect(Object.values(stats.byModel).reduce((n, e) => n + e.queries, 0)).toBe(2);
    await stop(runtime);
  });
});
