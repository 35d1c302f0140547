import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { pino } from 'pino';
import { afterAll, afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { AnyActorRef } from 'xstate';
import { createRuntime, type Runtime } from '../../src/runtime/create-runtime.js';
import type { RuntimeOptions } from '../../src/runtime/runtime-options.js';
import { createMemoryStore } from '../../src/store/create-memory-store.js';
import { openSqliteStore } from '../../src/store/open-sqlite-store.js';
import type { Store } from '../../src/store/store.js';
import { supervisorClient } from '../../src/supervisors/supervisor-client.js';
import { scriptedSpawn } from '../helpers/scripted-spawn.js';
import { settle } from '../orchestration/patterns/harness.js';

const dir = mkdtempSync(join(tmpdir(), 'runtime-state-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
let files = 0;

const BACKENDS: ReadonlyArray<readonly [string, () => Store]> = [
  ['memory', () => createMemoryStore()],
  ['sqlite', () => openSqliteStore(join(dir, `store-${files++}.db`))],
];

function capturingLogger() {
  const lines: Array<Record<string, unknown>> = [];
  const destination = new Writable({
    write(chunk, _encoding, done) {
      for (const line of String(chunk).split('\n').filter(Boolean)) lines.push(JSON.parse(line));
      done();
    },
  });
  return { logger: pino({ level: 'debug' }, destination), lines };
}

async function stop(runtime: Runtime): Promise<void> {
  const stopped = runtime.stop();
  await vi.runAllTimersAsync();
  await stopped;
}

const spent = (usd: number, tokens = 0) => ({ usd, tokens });

/** Has the runtime's system supervisor end its child `id` and start a fresh one (a crash). */
async function restartSystemActor(runtime: Runtime, id: 'budget' | 'limiter'): Promise<void> {
  const rows = supervisorClient(runtime.root).whichChildren();
  const system = rows.find((row) => row.id === 'system')?.child as AnyActorRef;
  expect((await supervisorClient(system).terminateChild(id)).ok).toBe(true);
  expect((await supervisorClient(system).restartChild(id)).ok).toBe(true);
}

describe.each(BACKENDS)('a runtime with a %s store (fake CLI, fake timers)', (_kind, open) => {
  let store: Store;
  beforeEach(() => {
    vi.useFakeTimers();
    store = open();
  });
  afterEach(async () => {
    vi.useRealTimers();
    await store.close();
  });

  function runtimeWith(options: RuntimeOptions = {}) {
    const script = scriptedSpawn((prompt) =>
      prompt === 'limited'
        ? { apiErrorStatus: 429, delayMs: 10 }
        : { text: 'ok', delayMs: 10, costUsd: 0.25 },
    );
    const runtime = createRuntime({
      defaults: { executable: process.execPath, retry: { maxAttempts: 1 } },
      processes: { spawn: script.spawn },
      store,
      ...options,
    });
    return { runtime, ...script };
  }

  it('restores the budget spent: a spent budget refuses the next query before it starts', async () => {
    await store.state.set('budget:default', {
      version: 1,
      spending: { total: spent(5, 100), byTag: { nightly: spent(1, 10) } },
    });
    const { runtime, state } = runtimeWith({ budget: { totalUsd: 5 } });
    const result = await settle(runtime.query('q').result);
    expect(result.error?.code).toBe('BUDGET_EXCEEDED');
    expect(state.calls).toEqual([]);
    await stop(runtime);
  });

  it('persists each spend, and a new runtime on the same store goes on from it', async () => {
    const first = runtimeWith({ budget: { totalUsd: 1, perTag: { nightly: { usd: 1 } } } });
    await settle(first.runtime.query('a', {}, { tags: ['nightly', 'run:r1'] }).result);
    await settle(first.runtime.query('b').result);
    await stop(first.runtime);
    // Only tags with a limit are kept: a `run:<id>` tag per run must not pile up.
    expect(await store.state.get('budget:default')).toEqual({
      version: 1,
      spending: { total: spent(0.5, 30), byTag: { nightly: spent(0.25, 15) } },
      updatedAt: expect.any(Number),
    });

    const second = runtimeWith({ budget: { totalUsd: 1, perTag: { nightly: { usd: 1 } } } });
    await settle(second.runtime.query('c').result);
    await vi.advanceTimersByTimeAsync(0);
    expect(second.runtime.system().budget?.remainingUsd([])).toBeCloseTo(0.25);
    expect(second.runtime.system().budget?.remainingUsd(['nightly'])).toBeCloseTo(0.25);
    await stop(second.runtime);
    expect(await store.state.get('budget:default')).toMatchObject({
      spending: { total: spent(0.75, 45) },
    });
  });

  it('restores a pause until a usage limit resets: queries wait for it, nothing is sent before', async () => {
    const resetsAt = Date.now() + 10 * 60_000;
    await store.state.set('limiter:default', {
      version: 1,
      pausedUntil: resetsAt,
      reason: 'rate_limit_event (five_hour)',
    });
    const { runtime, state } = runtimeWith();
    const handle = runtime.query('q');
    await vi.advanceTimersByTimeAsync(0);
    expect(runtime.system().limiter?.state()).toMatchObject({
      pausedUntil: resetsAt,
      pauseReason: 'rate_limit_event (five_hour)',
    });
    await vi.advanceTimersByTimeAsync(10 * 60_000 - 1_000);
    expect(state.calls).toEqual([]);
    const result = await settle(handle.result);
    expect(result.status).toBe('succeeded');
    expect(state.calls[0]?.startedAt).toBeGreaterThanOrEqual(resetsAt);
    // The pause ended: it is no longer kept.
    expect(await store.state.get('limiter:default')).toBeUndefined();
    await stop(runtime);
  });

  it('drops a recorded pause that is already over', async () => {
    await store.state.set('limiter:default', { version: 1, pausedUntil: Date.now() - 1 });
    const { runtime, state } = runtimeWith();
    expect((await settle(runtime.query('q').result)).status).toBe('succeeded');
    expect(state.calls).toHaveLength(1);
    expect(await store.state.get('limiter:default')).toBeUndefined();
    await stop(runtime);
  });

  it('records a pause when it starts and removes it when it ends', async () => {
    const { runtime } = runtimeWith({ limiter: { defaultPauseMs: 30_000 } });
    await settle(runtime.query('limited').result);
    await vi.advanceTimersByTimeAsync(0);
    const kept = (await store.state.get('limiter:default')) as { pausedUntil: number };
    expect(kept).toMatchObject({ version: 1, reason: 'HTTP 429' });
    expect(kept.pausedUntil).toBe(runtime.system().limiter?.state().pausedUntil);
    await vi.advanceTimersByTimeAsync(30_000);
    expect(await store.state.get('limiter:default')).toBeUndefined();
    await stop(runtime);
  });

  it('ignores invalid stored values with a warning naming the key and the field', async () => {
    await store.state.set('budget:default', { version: 1, spending: { total: spent(-3) } });
    await store.state.set('limiter:default', 'soon');
    const { logger, lines } = capturingLogger();
    const { runtime } = runtimeWith({ budget: { totalUsd: 1 }, logger });
    expect((await settle(runtime.query('q').result)).status).toBe('succeeded');
    const warnings = lines.filter((line) => line.msg === 'ignored an invalid stored value');
    expect(warnings.map((line) => line.key)).toEqual(['budget:default', 'limiter:default']);
    expect(JSON.stringify(warnings[0]?.issues)).toContain('spending.total.usd');
    await stop(runtime);
    // The next spend replaced the bad value with a good one.
    expect(await store.state.get('budget:default')).toMatchObject({
      spending: { total: spent(0.25, 15) },
    });
  });

  it('hands what is kept to a restarted budget before it admits or writes anything', async () => {
    const { runtime, state } = runtimeWith({ budget: { totalUsd: 0.5 } });
    await settle(runtime.query('a').result);
    await settle(runtime.query('b').result);
    await vi.advanceTimersByTimeAsync(0);
    await restartSystemActor(runtime, 'budget');
    // Spent in full before the crash: the fresh budget knows it and refuses.
    expect((await settle(runtime.query('c').result)).error?.code).toBe('BUDGET_EXCEEDED');
    expect(state.prompts).toEqual(['a', 'b']);
    await stop(runtime);
    expect(await store.state.get('budget:default')).toMatchObject({
      spending: { total: spent(0.5, 30) },
    });
  });

  it('hands a kept pause to a restarted limiter', async () => {
    const { runtime, state } = runtimeWith({ limiter: { defaultPauseMs: 60_000 } });
    await settle(runtime.query('limited').result);
    const until = runtime.system().limiter?.state().pausedUntil;
    expect(until).toBeDefined();
    await restartSystemActor(runtime, 'limiter');
    await vi.advanceTimersByTimeAsync(0);
    expect(runtime.system().limiter?.state().pausedUntil).toBe(until);
    const next = runtime.query('next');
    await vi.advanceTimersByTimeAsync(30_000);
    expect(state.prompts).toEqual(['limited']);
    expect((await settle(next.result)).status).toBe('succeeded');
    await stop(runtime);
  });

  it('keeps state apart per runtime name', async () => {
    await store.state.set('budget:other', { version: 1, spending: { total: spent(9), byTag: {} } });
    const { runtime } = runtimeWith({ budget: { totalUsd: 10 }, name: 'mine' });
    await settle(runtime.query('q').result);
    await stop(runtime);
    expect(await store.state.get('budget:mine')).toMatchObject({
      spending: { total: spent(0.25, 15) },
    });
    expect(await store.state.get('budget:other')).toMatchObject({ spending: { total: spent(9) } });
  });
});

describe('a store that fails', () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  it('logs failed reads and writes and runs the queries all the same', async () => {
    const broken: Store = {
      ...createMemoryStore(),
      kind: 'broken',
      location: undefined,
      state: {
        get: async () => {
          throw new Error('disk gone');
        },
        set: async () => {
          throw new Error('disk full');
        },
        delete: async () => {},
        list: async () => [],
      },
      close: async () => {},
    };
    const { logger, lines } = capturingLogger();
    const { spawn } = scriptedSpawn(() => ({ text: 'ok', delayMs: 10 }));
    const runtime = createRuntime({
      defaults: { executable: process.execPath },
      processes: { spawn },
      store: broken,
      logger,
    });
    expect((await settle(runtime.query('q').result)).status).toBe('succeeded');
    await stop(runtime);
    const messages = lines.filter((line) => line.level === 50).map((line) => line.msg);
    expect(messages).toEqual([
      'could not read the stored state; starting without it',
      'could not read the stored state; starting without it',
      'could not write the runtime state to the store',
    ]);
  });
});

describe('the store option', () => {
  it.each([
    [{ store: {} }, 'store'],
    [{ store: createMemoryStore(), name: 'a b' }, 'name'],
  ])('refuses %j naming the option', (options, path) => {
    expect(() => createRuntime(options as RuntimeOptions)).toThrow(new RegExp(`\`${path}\``));
  });
});
