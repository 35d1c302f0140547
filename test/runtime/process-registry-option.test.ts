import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { InvalidOptionsError } from '../../src/core/validation/invalid-options-error.js';
import { hostIdentity } from '../../src/process/registry/record-process.js';
import type { SpawnClaudeOptions } from '../../src/process/spawn/spawn-claude.js';
import { createRuntime, type Runtime } from '../../src/runtime/create-runtime.js';
import type { RuntimeOptions } from '../../src/runtime/runtime-options.js';
import { createMemoryStore } from '../../src/store/create-memory-store.js';
import { createMemoryProcessRecordStore } from '../../src/store/processes/memory-process-record-store.js';
import type { ProcessRecordStore } from '../../src/store/processes/process-record-store.js';
import { scriptedSpawn } from '../helpers/scripted-spawn.js';
import { settle } from '../orchestration/patterns/harness.js';

let state: string;
let savedState: string | undefined;
beforeAll(() => {
  // The default registry of this file: a folder of its own, not the user's.
  state = mkdtempSync(join(tmpdir(), 'ca-registry-option-'));
  savedState = process.env.XDG_STATE_HOME;
  process.env.XDG_STATE_HOME = state;
});
afterAll(() => {
  if (savedState === undefined) delete process.env.XDG_STATE_HOME;
  else process.env.XDG_STATE_HOME = savedState;
  rmSync(state, { recursive: true, force: true });
});

describe('the processes.registry runtime option', () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  /** A runtime whose (scripted) spawns report the records they were given. */
  function runtimeWith(options: RuntimeOptions): { runtime: Runtime; seen: SpawnClaudeOptions[] } {
    const { spawn } = scriptedSpawn(() => ({ text: 'ok' }));
    const seen: SpawnClaudeOptions[] = [];
    const runtime = createRuntime({
      defaults: { executable: process.execPath, retry: { maxAttempts: 1 } },
      ...options,
      processes: {
        ...options.processes,
        spawn: (spawnOptions) => {
          seen.push(spawnOptions);
          const proc = spawn(spawnOptions);
          // An idle pooled process is stopped, not answered: let that end it.
          return { ...proc, stop: () => proc.terminate(0) };
        },
      },
    });
    return { runtime, seen };
  }

  async function stop(runtime: Runtime): Promise<void> {
    const stopped = runtime.stop({ deadlineMs: 0 });
    await vi.runAllTimersAsync();
    await stopped;
  }

  it.each([
    [
      "the store's records, with a store",
      () => ({ store: createMemoryStore() }),
      (o: RuntimeOptions) => o.store?.processes,
    ],
    [
      'a ProcessRecordStore given',
      () => ({ processes: { registry: createMemoryProcessRecordStore() } }),
      (o: RuntimeOptions) => o.processes?.registry,
    ],
    [
      "its own over the store's",
      () => ({
        store: createMemoryStore(),
        processes: { registry: createMemoryProcessRecordStore() },
      }),
      (o: RuntimeOptions) => o.processes?.registry,
    ],
  ] as const)('records each CLI in %s', async (_what, options, expected) => {
    const given = options();
    const { runtime, seen } = runtimeWith(given);
    await settle(runtime.query('a').result);
    expect(seen).toHaveLength(1);
    expect(seen[0]?.records).toBe(expected(given));
    expect(seen[0]?.onRecordError).toBeTypeOf('function');
    expect((await runtime.reaped).supported).toBe(process.platform === 'linux');
    await stop(runtime);
  });

  it("records the warm pool's processes too", async () => {
    const records = createMemoryProcessRecordStore();
    const { runtime, seen } = runtimeWith({ pool: { size: 1 }, processes: { registry: records } });
    runtime.prewarm({}, 1);
    await vi.advanceTimersByTimeAsync(10);
    expect(seen.length).toBeGreaterThanOrEqual(1);
    expect(seen.every((options) => options.records === records)).toBe(true);
    await stop(runtime);
  });

  it('records in the per-user folder by default, and nowhere with `false`', async () => {
    const byDefault = runtimeWith({});
    const off = runtimeWith({ processes: { registry: false } });
    await settle(byDefault.runtime.query('a').result);
    await settle(off.runtime.query('a').result);
    expect((byDefault.seen[0]?.records as ProcessRecordStore).kind).toBe('files');
    expect(await byDefault.runtime.reaped).toMatchObject({
      supported: process.platform === 'linux',
    });
    expect(off.seen[0]?.records).toBe(false);
    expect(await off.runtime.reaped).toEqual({
      records: 0,
      liveHosts: 0,
      otherNamespaces: 0,
      reaped: [],
      dryRun: false,
      supported: false,
    });
    await stop(byDefault.runtime);
    await stop(off.runtime);
  });

  it.runIf(process.platform === 'linux')(
    "reaps the records of dead hosts at start, and leaves its own host's",
    async () => {
      const store = createMemoryStore();
      const self = hostIdentity()!;
      const base = { startTime: 1, recordedAt: 1, hostPid: self.pid };
      // Pids above the largest pid_max (2^22): no process ever has them.
      await store.processes.record({ ...base, pid: 4_194_305, hostStartTime: self.startTime + 1 });
      await store.processes.record({ ...base, pid: 4_194_306, hostStartTime: self.startTime });
      const { runtime } = runtimeWith({ store });
      const report = await runtime.reaped;
      expect(report).toMatchObject({ records: 2, liveHosts: 1, supported: true });
      expect(report.reaped).toEqual([
        { pid: 4_194_305, hostPid: self.pid, cli: 'exited', killed: [] },
      ]);
      expect((await store.processes.list()).map((r) => r.pid)).toEqual([4_194_306]);
      await stop(runtime);
    },
  );

  it('logs a registry it cannot read and starts anyway', async () => {
    const broken: ProcessRecordStore = {
      ...createMemoryProcessRecordStore(),
      list: async () => {
        throw new Error('unreadable');
      },
    };
    const errors: unknown[] = [];
    const logger = {
      child: () => logger,
      error: (fields: { err: unknown }) => errors.push(fields.err),
      warn: () => {},
      info: () => {},
      debug: () => {},
      trace: () => {},
    };
    const { runtime } = runtimeWith({ processes: { registry: broken }, logger: logger as never });
    const report = await runtime.reaped;
    if (process.platform === 'linux') {
      expect(String(report.error)).toBe('Error: unreadable');
      expect(errors.map(String)).toEqual(['Error: unreadable']);
    }
    await settle(runtime.query('a').result);
    await stop(runtime);
  });

  it.each([
    ['a string other than default', 'files'],
    ['an object without the methods', { list: () => [] }],
    ['true', true],
  ])('refuses %s, naming processes.registry', (_what, registry) => {
    expect(() => createRuntime({ processes: { registry: registry as never } })).toThrow(
      InvalidOptionsError,
    );
    expect(() => createRuntime({ processes: { registry: registry as never } })).toThrow(
      /Invalid runtime option `processes\.registry`: expected false, 'default' or a ProcessRecordStore .*, got `/,
    );
  });
});
