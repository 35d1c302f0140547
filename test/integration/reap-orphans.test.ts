import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { createRuntime, type Runtime } from '../../src/runtime/create-runtime.js';
import { createFileProcessRecordStore } from '../../src/store/processes/file-process-record-store.js';
import { toolUse } from '../../src/testing/builders.js';
import { eventually, isAlive, useSimulator } from '../helpers/integration.js';
import {
  allRunning,
  killIssuedTokens,
  neverEndingTools,
  noneRunning,
} from '../helpers/processes-with-arg.js';

const sim = useSimulator();
const hostScript = fileURLToPath(new URL('../fixtures/host-with-runtime.ts', import.meta.url));
const idleCli = fileURLToPath(new URL('../fixtures/idle-cli.mjs', import.meta.url));
let host: ChildProcess | undefined;
let runtime: Runtime | undefined;
const pids = new Set<number>();
let dir: string | undefined;

afterEach(async () => {
  await runtime?.stop({ deadlineMs: 0 });
  runtime = undefined;
  // Whatever a failed test left: the host, its watchdog, the CLI, its tools.
  if (host?.exitCode === null && host.signalCode === null) host.kill('SIGKILL');
  for (const pid of pids) {
    try {
      process.kill(pid, 'SIGKILL');
    } catch {}
  }
  killIssuedTokens();
  await eventually(() => [...pids].every((pid) => !isAlive(pid)), 5_000);
  pids.clear();
  if (dir) rmSync(dir, { recursive: true, force: true });
  dir = undefined;
});

/** Starts a host; resolves with its CLI's pid and its watchdog's once the CLI runs. */
async function startHost(
  extraEnv: Record<string, string>,
): Promise<{ cli: number; watchdog: number }> {
  dir = mkdtempSync(join(tmpdir(), 'ca-reap-'));
  host = spawn(process.execPath, ['--import', 'tsx', hostScript], {
    env: {
      ...process.env,
      HOST_QUERY_ENV: JSON.stringify(sim.env.options.env),
      HOST_REGISTRY_DIR: join(dir, 'processes'),
      ...extraEnv,
    },
    stdio: ['pipe', 'pipe', 'inherit'],
  });
  let cli = 0;
  let watchdog = 0;
  for await (const line of createInterface({ input: host.stdout! })) {
    if (line.startsWith('pid ')) cli = Number(line.slice(4));
    if (line.startsWith('watchdog ')) watchdog = Number(line.slice(9));
    if (cli && watchdog) break;
  }
  pids.add(cli).add(watchdog);
  return { cli, watchdog };
}

async function sigkill(child: ChildProcess): Promise<void> {
  const exited = new Promise((resolve) => child.once('exit', resolve));
  child.kill('SIGKILL');
  await exited;
}

describe.runIf(process.platform === 'linux')('a host that starts after a crash', () => {
  it('reaps the CLI and the tool processes a host SIGKILLed with its watchdog left, and their records', async () => {
    const { command, all } = neverEndingTools();
    sim.env.simulator.on('run forever', toolUse('Bash', { command }));
    const { cli, watchdog } = await startHost({ HOST_QUERY_PROMPT: 'run forever' });
    expect(await eventually(allRunning(all), 20_000)).toBe(true);
    const records = createFileProcessRecordStore({ dir: join(dir!, 'processes') });
    const hostPid = host!.pid;
    expect((await records.list()).map((r) => [r.pid, r.hostPid])).toEqual([[cli, hostPid]]);

    process.kill(watchdog, 'SIGKILL');
    expect(await eventually(() => !isAlive(watchdog), 3_000)).toBe(true);
    await sigkill(host!);
    // Nothing of the dead host cleans up now: its tools run on (a second of grace to prove it).
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    expect(allRunning(all)()).toBe(true);
    const cliSurvived = isAlive(cli);

    const startedAt = Date.now();
    runtime = createRuntime({ processes: { registry: records } });
    const report = await runtime.reaped;
    const reapMs = Date.now() - startedAt;
    expect(report.reaped).toEqual([
      {
        pid: cli,
        hostPid,
        cli: cliSurvived ? 'running' : 'exited',
        killed: expect.any(Array),
      },
    ]);
    expect(report.reaped[0]?.killed.length).toBeGreaterThanOrEqual(all.length);
    expect(await eventually(noneRunning(all), 3_000)).toBe(true);
    expect(await eventually(() => !isAlive(cli), 3_000)).toBe(true);
    expect(await records.list()).toEqual([]);
    if (process.env.REPORT_TIMINGS)
      process.stderr.write(
        `reaped in ${reapMs} ms: CLI ${cliSurvived ? 'running' : 'exited'}, killed ${report.reaped[0]?.killed.length}\n`,
      );
  });

  it("leaves a live host's CLI and record alone; the host's exit removes them", async () => {
    const { cli } = await startHost({ HOST_EXECUTABLE: idleCli });
    const records = createFileProcessRecordStore({ dir: join(dir!, 'processes') });
    expect((await records.list()).map((r) => r.pid)).toEqual([cli]);
    // Another test file's runtime, say, on the same registry: the host runs, so nothing is reaped.
    runtime = createRuntime({ processes: { registry: records } });
    expect(await runtime.reaped).toMatchObject({ records: 1, liveHosts: 1, reaped: [] });
    expect(isAlive(cli)).toBe(true);
    expect((await records.list()).map((r) => r.pid)).toEqual([cli]);

    const exited = new Promise((resolve) => host!.once('exit', resolve));
    host!.stdin!.write('exit\n');
    expect(await exited).toBe(0);
    expect(await eventually(() => !isAlive(cli), 3_000)).toBe(true);
    expect(await records.list()).toEqual([]);
  });
});
