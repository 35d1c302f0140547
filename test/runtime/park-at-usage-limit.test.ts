import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { QueryEvent } from '../../src/machines/query/query-types.js';
import { createRuntime, type Runtime } from '../../src/runtime/create-runtime.js';
import type { RuntimeOptions } from '../../src/runtime/runtime-options.js';
import { openSqliteStore } from '../../src/store/open-sqlite-store.js';
import { scriptedSpawn } from '../helpers/scripted-spawn.js';
import { settle } from '../orchestration/patterns/harness.js';

const HOUR = 3_600_000;
const dir = mkdtempSync(join(tmpdir(), 'park-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function stop(runtime: Runtime): Promise<void> {
  const stopped = runtime.stop({ deadlineMs: 0 });
  await vi.runAllTimersAsync();
  await stopped;
}

/**
 * A fake CLI behind a usage limit that resets at `resetsAt`: before it, every request is
 * refused with a rejected `rate_limit_event` naming the reset (epoch seconds) and a 429.
 */
function limitedUntil(resetsAt: number) {
  return scriptedSpawn(() =>
    Date.now() < resetsAt
      ? {
          apiErrorStatus: 429,
          delayMs: 10,
          messages: [
            {
              type: 'rate_limit_event',
              rate_limit_info: {
                status: 'rejected',
                resetsAt: Math.ceil(resetsAt / 1000),
                rateLimitType: 'five_hour',
              },
            },
          ],
        }
      : { text: 'ok', delayMs: 10 },
  );
}

describe('parking at a usage limit (fake CLI, fake timers)', () => {
  beforeEach(() => {
    vi.useFakeTimers();
    vi.setSystemTime(new Date('2026-12-03T10:00:00.000Z'));
  });
  afterEach(() => vi.useRealTimers());

  function runtimeWith(resetsAt: number, options: RuntimeOptions = {}) {
    const script = limitedUntil(resetsAt);
    const runtime = createRuntime({
      // One attempt and a one-minute deadline: only parking lets these queries live 2 h.
      defaults: {
        executable: process.execPath,
        retry: { maxAttempts: 1 },
        timeouts: { totalMs: 60_000 },
      },
      processes: { spawn: script.spawn },
      limiter: { maxConcurrent: 2 },
      ...options,
    });
    return { runtime, ...script };
  }

  it('parks every query until a reset within the horizon: none is lost, the wait costs no attempt and no deadline', async () => {
    const resetsAt = Date.now() + 2 * HOUR;
    const { runtime, state } = runtimeWith(resetsAt);
    const handles = Array.from({ length: 10 }, (_, i) => runtime.query(`q${i}`));
    const parked: QueryEvent[] = [];
    for (const handle of handles) {
      handle.events$.subscribe((event) => {
        if (event.type === 'query.retrying' && event.parked) parked.push(event);
      });
    }
    await vi.advanceTimersByTimeAsync(1_000);
    expect(runtime.system().limiter?.state()).toMatchObject({
      pausedUntil: Math.ceil(resetsAt / 1000) * 1000,
      pauseReason: 'rate_limit_event (five_hour)',
      queued: 0,
    });
    // The two in flight met the limit; the eight queued were parked without a request.
    expect(state.calls).toHaveLength(2);
    expect(parked).toHaveLength(10);

    await vi.advanceTimersByTimeAsync(2 * HOUR);
    const results = await settle(Promise.all(handles.map((h) => h.result)));
    expect(results.map((r) => r.status)).toEqual(Array(10).fill('succeeded'));
    expect(state.calls).toHaveLength(12);
    for (const call of state.calls.slice(2))
      expect(call.startedAt).toBeGreaterThanOrEqual(resetsAt);
    expect(results[0]?.attemptErrors.map((e) => e.code)).toEqual(['API_ERROR']);
    expect(results[9]?.attemptErrors.map((e) => e.code)).toEqual(['RATE_LIMITED']);
    await stop(runtime);
  });

  it('keeps a query without a total timeout waiting in the queue through the pause, in one attempt', async () => {
    const resetsAt = Date.now() + 2 * HOUR;
    const { runtime, state } = runtimeWith(resetsAt, {
      defaults: { executable: process.execPath, retry: { maxAttempts: 1 } },
      limiter: { maxConcurrent: 1 },
    });
    const first = runtime.query('first');
    const queued = runtime.query('queued');
    await vi.advanceTimersByTimeAsync(1_000);
    expect(runtime.system().limiter?.state().queued).toBe(1);
    expect(runtime.running().find((q) => q.queryId === queued.queryId)?.state).toMatchObject({
      running: 'waitingForPermit',
    });
    await vi.advanceTimersByTimeAsync(2 * HOUR);
    const [a, b] = await settle(Promise.all([first.result, queued.result]));
    expect([a?.status, b?.status]).toEqual(['succeeded', 'succeeded']);
    expect(b?.attempts).toBe(1);
    expect(state.prompts).toEqual(['first', 'queued', 'first']);
    await stop(runtime);
  });

  it('fails queries with a reset beyond the horizon at once, naming the reset time', async () => {
    const resetsAt = Date.now() + 3 * HOUR;
    const { runtime, state } = runtimeWith(resetsAt, {
      limiter: { maxConcurrent: 2, parkHorizonMs: HOUR },
    });
    const handles = Array.from({ length: 5 }, (_, i) => runtime.query(`q${i}`));
    const results = await settle(Promise.all(handles.map((h) => h.result)));
    expect(results.map((r) => r.error?.code)).toEqual(Array(5).fill('USAGE_LIMIT'));
    const reset = new Date(Math.ceil(resetsAt / 1000) * 1000).toISOString();
    for (const result of results) {
      expect(result.status).toBe('failed');
      expect(result.error?.message).toContain(`rate limited until ${reset}`);
      expect(result.error?.message).toContain('1 h (`limiter.parkHorizonMs`)');
    }
    // Failed, not waited for: well before the reset, and only the two first requests sent.
    expect(Date.now()).toBeLessThan(resetsAt - 2 * HOUR);
    expect(state.calls).toHaveLength(2);
    // A query started later, during the pause, fails at once too.
    const later = await settle(runtime.query('later').result);
    expect(later.error?.code).toBe('USAGE_LIMIT');
    expect(state.calls).toHaveLength(2);
    await stop(runtime);
  });

  it('keeps a 429 that names no reset an ordinary failure within the retry budget', async () => {
    const { spawn } = scriptedSpawn(() => ({ apiErrorStatus: 429, delayMs: 10 }));
    const runtime = createRuntime({
      defaults: { executable: process.execPath, retry: { maxAttempts: 1 } },
      processes: { spawn },
    });
    const result = await settle(runtime.query('q').result);
    expect(result.error).toMatchObject({ code: 'API_ERROR', status: 429 });
    expect(result.attempts).toBe(1);
    await stop(runtime);
  });

  it('with a store, a host started after a crash waits out the recorded reset before sending anything', async () => {
    const file = join(dir, 'crash.db');
    const resetsAt = Date.now() + 2 * HOUR;
    const firstStore = openSqliteStore(file);
    const first = runtimeWith(resetsAt, { store: firstStore });
    void first.runtime.query('before the crash').result;
    await vi.advanceTimersByTimeAsync(1_000);
    expect(first.state.calls).toHaveLength(1);
    // The host dies: nothing of it is left but the store file.
    await stop(first.runtime);
    await firstStore.close();

    const store = openSqliteStore(file);
    const second = runtimeWith(resetsAt, { store });
    const handles = [second.runtime.query('a'), second.runtime.query('b')];
    await vi.advanceTimersByTimeAsync(2 * HOUR - 60_000);
    expect(second.state.calls).toEqual([]);
    const results = await settle(Promise.all(handles.map((h) => h.result)));
    expect(results.map((r) => r.status)).toEqual(['succeeded', 'succeeded']);
    for (const call of second.state.calls) expect(call.startedAt).toBeGreaterThanOrEqual(resetsAt);
    await stop(second.runtime);
    await store.close();
  });
});
