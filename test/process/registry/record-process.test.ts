import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { waitForNoLiveProcesses } from '../../../src/process/registry/process-registry.js';
import { processStartTime } from '../../../src/process/registry/process-start-time.js';
import { flushProcessRecords, hostIdentity } from '../../../src/process/registry/record-process.js';
import { spawnClaude } from '../../../src/process/spawn/spawn-claude.js';
import { createMemoryProcessRecordStore } from '../../../src/store/processes/memory-process-record-store.js';
import type { ProcessRecordStore } from '../../../src/store/processes/process-record-store.js';

const fixture = fileURLToPath(new URL('../../fixtures/fake-process.mjs', import.meta.url));
const env = { PATH: process.env.PATH ?? '' };

afterEach(() => waitForNoLiveProcesses(5_000));

function start(records: ProcessRecordStore | false, onRecordError?: (error: unknown) => void) {
  return spawnClaude({
    executable: fixture,
    args: ['polite'],
    env,
    onStdout: () => {},
    records,
    onRecordError,
  });
}

describe.runIf(process.platform === 'linux')('recording CLI processes', () => {
  it('records a spawned CLI with its start time and this host, and removes it at its exit', async () => {
    const records = createMemoryProcessRecordStore();
    const proc = start(records);
    const pid = proc.pid ?? 0;
    const [record] = await records.list();
    expect(record).toEqual({
      pid,
      startTime: processStartTime(pid),
      marker: expect.stringMatching(/^[0-9a-f]+-[0-9a-f]{16}$/),
      hostPid: process.pid,
      hostStartTime: hostIdentity()?.startTime,
      bootId: expect.stringMatching(/^[0-9a-f-]{36}$/),
      pidNamespace: expect.stringMatching(/^pid:\[\d+\]$/),
      recordedAt: expect.any(Number),
    });
    expect(hostIdentity()?.startTime).toBe(processStartTime(process.pid));
    await proc.stop(5_000);
    await flushProcessRecords();
    expect(await records.list()).toEqual([]);
  });

  it('records in the per-user folder by default, and nowhere with `records: false`', async () => {
    const state = mkdtempSync(join(tmpdir(), 'ca-state-'));
    const saved = process.env.XDG_STATE_HOME;
    process.env.XDG_STATE_HOME = state;
    try {
      const folder = join(state, 'claude-actors', 'processes');
      const recorded = spawnClaude({
        executable: fixture,
        args: ['polite'],
        env,
        onStdout: () => {},
      });
      expect(readdirSync(folder)).toEqual([
        `${recorded.pid}-${processStartTime(recorded.pid ?? 0)}.json`,
      ]);
      const unrecorded = start(false);
      expect(readdirSync(folder)).toHaveLength(1);
      await Promise.all([recorded.stop(5_000), unrecorded.stop(5_000)]);
      await flushProcessRecords();
      expect(readdirSync(folder)).toEqual([]);
    } finally {
      if (saved === undefined) delete process.env.XDG_STATE_HOME;
      else process.env.XDG_STATE_HOME = saved;
      rmSync(state, { recursive: true, force: true });
    }
  });

  it('reports a failed write and runs the CLI anyway', async () => {
    const errors: unknown[] = [];
    const failing: ProcessRecordStore = {
      ...createMemoryProcessRecordStore(),
      record: async () => {
        throw new Error('disk full');
      },
    };
    const proc = start(failing, (error) => errors.push(error));
    const exit = await proc.stop(5_000);
    await flushProcessRecords();
    expect(exit.exitCode).toBe(0);
    expect(errors.map(String)).toContain('Error: disk full');
  });

  it('removes the record only after a slow write settled, so it is not put back', async () => {
    const inner = createMemoryProcessRecordStore();
    let release: () => void = () => {};
    const slow: ProcessRecordStore = {
      ...inner,
      record: (record) =>
        new Promise((resolve) => {
          release = () => resolve(inner.record(record));
        }),
    };
    const proc = start(slow);
    await proc.stop(5_000);
    release();
    await flushProcessRecords();
    expect(await inner.list()).toEqual([]);
  });
});
