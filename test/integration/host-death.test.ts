import { type ChildProcess, spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { toolUse } from '../../src/testing/builders.js';
import { eventually, isAlive, useSimulator } from '../helpers/integration.js';
import {
  allRunning,
  killIssuedTokens,
  neverEndingTools,
  noneRunning,
} from '../helpers/processes-with-arg.js';

const sim = useSimulator();
const hostScript = fileURLToPath(new URL('../fixtures/host-with-query.ts', import.meta.url));
let host: ChildProcess | undefined;

afterEach(() => {
  if (host?.exitCode === null) host.kill('SIGKILL');
  // Tool processes of a failed test must not outlive it either.
  killIssuedTokens();
});

/** Starts a host that runs one query against a hanging API; resolves with the CLI's pid. */
async function startHost(extraEnv: Record<string, string> = {}): Promise<number> {
  sim.env.simulator.on('hang', { kind: 'hang' });
  // `node --import tsx`, not the tsx bin: that one is a wrapper whose child would be the host.
  host = spawn(process.execPath, ['--import', 'tsx', hostScript], {
    env: { ...process.env, HOST_QUERY_ENV: JSON.stringify(sim.env.options.env), ...extraEnv },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const lines = createInterface({ input: host.stdout! });
  let pid = 0;
  for await (const line of lines) {
    if (line.startsWith('pid ')) pid = Number(line.slice(4));
    // The CLI is then waiting on the (hanging) API: mid-query.
    if (line === 'streaming' && pid) break;
  }
  await sim.env.simulator.waitForRequests(1, 10_000);
  return pid;
}

describe('a host that dies mid-query leaves no CLI behind', () => {
  it.each(['SIGINT', 'SIGTERM'] as const)('after %s, at once', async (signal) => {
    const pid = await startHost();
    expect(isAlive(pid)).toBe(true);
    const killedAt = Date.now();
    host!.kill(signal);
    expect(await eventually(() => !isAlive(pid), 2_000)).toBe(true);
    if (process.env.REPORT_TIMINGS)
      process.stderr.write(`CLI gone ${Date.now() - killedAt} ms after ${signal} of the host\n`);
  });

  it('after SIGKILL of the host, within a few seconds', async () => {
    const pid = await startHost();
    expect(isAlive(pid)).toBe(true);
    const killedAt = Date.now();
    host!.kill('SIGKILL');
    expect(await eventually(() => !isAlive(pid), 3_000)).toBe(true);
    if (process.env.REPORT_TIMINGS)
      process.stderr.write(`CLI gone ${Date.now() - killedAt} ms after SIGKILL of the host\n`);
  });

  it('leaves the CLI to a host that handles SIGTERM itself, until the host exits', async () => {
    const pid = await startHost({ HOST_HANDLES_SIGTERM: '1' });
    host!.kill('SIGTERM');
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(isAlive(pid)).toBe(true);
    const code = host!.exitCode ?? (await new Promise((resolve) => host!.once('exit', resolve)));
    expect(code).toBe(0);
    expect(await eventually(() => !isAlive(pid), 3_000)).toBe(true);
  });
});

describe('a host that dies while a tool runs leaves no tool process behind', () => {
  /** Starts a host whose query runs never-ending tools; resolves once they all run. */
  async function startHostWithTools(): Promise<{ pid: number; all: string[] }> {
    const { command, all } = neverEndingTools();
    sim.env.simulator.on('run forever', toolUse('Bash', { command }));
    host = spawn(process.execPath, ['--import', 'tsx', hostScript], {
      env: {
        ...process.env,
        HOST_QUERY_ENV: JSON.stringify(sim.env.options.env),
        HOST_QUERY_PROMPT: 'run forever',
        HOST_QUERY_ALLOWED_TOOLS: 'Bash',
      },
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    let pid = 0;
    for await (const line of createInterface({ input: host.stdout! })) {
      if (line.startsWith('pid ')) {
        pid = Number(line.slice(4));
        break;
      }
    }
    expect(await eventually(allRunning(all), 20_000)).toBe(true);
    return { pid, all };
  }

  it.each(['SIGINT', 'SIGTERM', 'SIGKILL'] as const)('after %s of the host', async (signal) => {
    const { pid, all } = await startHostWithTools();
    const killedAt = Date.now();
    host!.kill(signal);
    expect(await eventually(noneRunning(all), 3_000)).toBe(true);
    expect(await eventually(() => !isAlive(pid), 3_000)).toBe(true);
    if (process.env.REPORT_TIMINGS)
      process.stderr.write(`tools gone ${Date.now() - killedAt} ms after ${signal} of the host\n`);
  });
});
