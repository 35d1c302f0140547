import { type ChildProcess, spawn } from 'node:child_process';
import { afterEach, describe, expect, it } from 'vitest';
import { processStartTime } from '../../../src/process/registry/process-start-time.js';
import { PROCESS_MARKER_VAR } from '../../../src/process/registry/process-tree.js';
import { reapOrphans } from '../../../src/process/registry/reap-orphans.js';
import { hostIdentity } from '../../../src/process/registry/record-process.js';
import { createMemoryProcessRecordStore } from '../../../src/store/processes/memory-process-record-store.js';
import type { ProcessRecord } from '../../../src/store/processes/process-record.js';
import { eventually, isAlive } from '../../helpers/integration.js';

const linux = process.platform === 'linux';
const started: ChildProcess[] = [];
const extra = new Set<number>();

afterEach(async () => {
  for (const pid of [...extra, ...started.map((c) => c.pid ?? 0)]) {
    try {
      process.kill(pid, 'SIGKILL');
    } catch {}
  }
  await Promise.all(
    started.splice(0).map(
      (child) =>
        new Promise<void>((resolve) => {
          if (child.exitCode !== null || child.signalCode !== null) resolve();
          else child.once('exit', () => resolve());
        }),
    ),
  );
  await eventually(() => [...extra].every((pid) => !isAlive(pid)), 5000);
  extra.clear();
});

/**
 * A stand-in CLI: leads its own group and starts a "tool" in a session of its own, both
 * carrying `marker` in their environment, as the Bash tool's processes do.
 */
async function startCli(marker: string): Promise<{ pid: number; tool: number }> {
  const child = spawn(
    '/bin/sh',
    ['-c', 'setsid tail -f -s 1 /dev/null & echo $!; exec tail -f -s 1 /dev/null'],
    {
      detached: true,
      env: { PATH: process.env.PATH, [PROCESS_MARKER_VAR]: marker },
      stdio: ['ignore', 'pipe', 'ignore'],
    },
  );
  started.push(child);
  const tool = await new Promise<number>((resolve) =>
    child.stdout?.once('data', (data: Buffer) => resolve(Number(data.toString().trim()))),
  );
  extra.add(tool);
  // The tool has left the CLI's session: killing the CLI's group would not reach it.
  await eventually(() => processStartTime(tool) !== undefined, 2000);
  return { pid: child.pid ?? 0, tool };
}

function recordOf(
  pid: number,
  marker: string,
  host: { pid: number; startTime: number },
  overrides: Partial<ProcessRecord> = {},
): ProcessRecord {
  return {
    pid,
    startTime: processStartTime(pid) ?? -1,
    marker,
    hostPid: host.pid,
    hostStartTime: host.startTime,
    recordedAt: Date.now(),
    ...overrides,
  };
}

const self = () => hostIdentity() ?? { pid: process.pid, startTime: 0 };
/** This host's pid with another start time: the host that had this pid before, long dead. */
const deadHost = () => ({ pid: self().pid, startTime: self().startTime + 1 });

describe.runIf(linux)('reapOrphans', () => {
  it("kills a dead host's running CLI with its tool in another session, and removes the record", async () => {
    const cli = await startCli('c0ffee-01');
    const store = createMemoryProcessRecordStore();
    await store.record(recordOf(cli.pid, 'c0ffee-01', deadHost()));
    const report = await reapOrphans(store);
    expect(report.reaped).toEqual([
      {
        pid: cli.pid,
        hostPid: process.pid,
        cli: 'running',
        killed: expect.arrayContaining([cli.pid, cli.tool]),
      },
    ]);
    expect(report.reaped[0]?.killed[0]).toBe(cli.pid);
    expect(await eventually(() => !isAlive(cli.pid) && !isAlive(cli.tool), 5000)).toBe(true);
    expect(await store.list()).toEqual([]);
  });

  it('leaves the records of a live host alone', async () => {
    const cli = await startCli('c0ffee-02');
    const store = createMemoryProcessRecordStore();
    const record = recordOf(cli.pid, 'c0ffee-02', self());
    await store.record(record);
    const report = await reapOrphans(store);
    expect(report).toMatchObject({ records: 1, liveHosts: 1, reaped: [] });
    expect(isAlive(cli.pid) && isAlive(cli.tool)).toBe(true);
    expect(await store.list()).toEqual([record]);
  });

  it('never kills a process that got a recorded pid later (another start time)', async () => {
    const stranger = await startCli('c0ffee-03');
    const store = createMemoryProcessRecordStore();
    // The recorded CLI had this pid, started earlier, and carried another marker.
    const startTime = (processStartTime(stranger.pid) ?? 1) - 1;
    await store.record(recordOf(stranger.pid, 'c0ffee-04', deadHost(), { startTime }));
    const report = await reapOrphans(store);
    expect(report.reaped).toEqual([
      { pid: stranger.pid, hostPid: process.pid, cli: 'exited', killed: [] },
    ]);
    expect(isAlive(stranger.pid) && isAlive(stranger.tool)).toBe(true);
    expect(await store.list()).toEqual([]);
  });

  it('kills what an exited CLI left running (its marker), but not the process at its pid', async () => {
    const stranger = await startCli('c0ffee-05');
    const leftover = await startCli('c0ffee-06');
    const store = createMemoryProcessRecordStore();
    // The CLI of this record has exited and its pid went to `stranger`; its tools run on.
    const startTime = (processStartTime(stranger.pid) ?? 1) - 1;
    await store.record(recordOf(stranger.pid, 'c0ffee-06', deadHost(), { startTime }));
    const report = await reapOrphans(store);
    expect(report.reaped[0]).toMatchObject({ cli: 'exited' });
    expect([...(report.reaped[0]?.killed ?? [])].sort()).toEqual(
      [leftover.pid, leftover.tool].sort(),
    );
    expect(await eventually(() => !isAlive(leftover.pid) && !isAlive(leftover.tool), 5000)).toBe(
      true,
    );
    expect(isAlive(stranger.pid) && isAlive(stranger.tool)).toBe(true);
  });

  it('takes a record of another boot for stale, whatever runs at its pid now', async () => {
    const cli = await startCli('c0ffee-07');
    const store = createMemoryProcessRecordStore();
    await store.record(recordOf(cli.pid, 'c0ffee-07', deadHost(), { bootId: 'another-boot' }));
    const report = await reapOrphans(store);
    expect(report.reaped).toEqual([
      { pid: cli.pid, hostPid: process.pid, cli: 'stale', killed: [] },
    ]);
    expect(isAlive(cli.pid)).toBe(true);
    expect(await store.list()).toEqual([]);
  });

  it('leaves alone the records of another pid namespace (another container)', async () => {
    const cli = await startCli('c0ffee-0a');
    const store = createMemoryProcessRecordStore();
    const record = recordOf(cli.pid, 'c0ffee-0a', deadHost(), { pidNamespace: 'pid:[1]' });
    await store.record(record);
    const report = await reapOrphans(store);
    expect(report).toMatchObject({ records: 1, liveHosts: 0, otherNamespaces: 1, reaped: [] });
    expect(isAlive(cli.pid) && isAlive(cli.tool)).toBe(true);
    expect(await store.list()).toEqual([record]);
  });

  it('with dryRun reports what it would kill and changes nothing', async () => {
    const cli = await startCli('c0ffee-08');
    const store = createMemoryProcessRecordStore();
    const record = recordOf(cli.pid, 'c0ffee-08', deadHost());
    await store.record(record);
    const report = await reapOrphans(store, { dryRun: true });
    expect(report).toMatchObject({ dryRun: true, records: 1, liveHosts: 0 });
    expect(report.reaped[0]?.killed).toEqual([cli.pid, ...[cli.tool]]);
    expect(isAlive(cli.pid) && isAlive(cli.tool)).toBe(true);
    expect(await store.list()).toEqual([record]);
  });

  it('logs each CLI reaped and a summary', async () => {
    const cli = await startCli('c0ffee-09');
    const store = createMemoryProcessRecordStore();
    await store.record(recordOf(cli.pid, 'c0ffee-09', deadHost()));
    const lines: Array<[string, unknown, string]> = [];
    const logger = {
      warn: (fields: unknown, message: string) => lines.push(['warn', fields, message]),
      info: (fields: unknown, message: string) => lines.push(['info', fields, message]),
    };
    await reapOrphans(store, { logger: logger as never });
    expect(lines).toEqual([
      ['warn', expect.objectContaining({ pid: cli.pid, cli: 'running' }), 'reaped an orphaned CLI'],
      [
        'info',
        expect.objectContaining({ kind: 'memory', records: 1, reaped: 1, killed: 2 }),
        'process records of dead hosts reaped',
      ],
    ]);
  });
});
