import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import { afterEach, describe, expect, it } from 'vitest';
import { DEFAULT_CONTINUATION_PROMPT } from '../../src/orchestration/task-queue/task-queue-options.js';
import { openSqliteStore } from '../../src/store/open-sqlite-store.js';
import type { SimRequest } from '../../src/testing/sim-request.js';
import { eventually, useSimulator } from '../helpers/integration.js';

const sim = useSimulator();
const hostScript = fileURLToPath(new URL('../fixtures/durable-host.ts', import.meta.url));
const hosts: ChildProcess[] = [];
let dir: string | undefined;

afterEach(async () => {
  for (const host of hosts.splice(0)) if (host.exitCode === null) host.kill('SIGKILL');
  if (dir) await rm(dir, { recursive: true, force: true });
  dir = undefined;
});

/** Starts a host; `lines` yields its stdout lines. */
function startHost(resume: boolean) {
  const host = spawn(process.execPath, ['--import', 'tsx', hostScript], {
    env: {
      ...process.env,
      DURABLE_ENV: JSON.stringify(sim.env.options.env),
      DURABLE_STORE: join(dir!, 'store.db'),
      DURABLE_OUT: join(dir!, 'out'),
      DURABLE_RESUME: resume ? '1' : '0',
    },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  hosts.push(host);
  return { host, lines: createInterface({ input: host.stdout! }) };
}

/** Whether the CLI's transcript of `sessionId` (under the simulated HOME) contains `text`. */
function transcriptHas(sessionId: string, text: string): boolean {
  const projects = join(sim.env.home, '.claude', 'projects');
  if (!existsSync(projects)) return false;
  return readdirSync(projects).some((project) => {
    const file = join(projects, project, `${sessionId}.jsonl`);
    return existsSync(file) && readFileSync(file, 'utf8').includes(text);
  });
}

const about = (marker: string) => (request: SimRequest) =>
  JSON.stringify(request.body).includes(marker);

describe('a journalled run killed with SIGKILL', () => {
  it('resumes: succeeded tasks are not asked again, the task in flight continues its session', async () => {
    dir = await mkdtemp(join(tmpdir(), 'ca-durable-'));
    const { simulator } = sim.env;
    simulator.on('TASK-A', { kind: 'text', text: 'OUTLINE-A' });
    // b's first request never gets an answer: the host dies while b is in flight.
    simulator.on('TASK-B', { kind: 'hang' }, { times: 1 });
    simulator.on(DEFAULT_CONTINUATION_PROMPT.slice(0, 40), { kind: 'text', text: 'CHAPTER-B' });
    simulator.on('TASK-C', { kind: 'text', text: 'REVIEW-C' });

    const first = startHost(false);
    for await (const line of first.lines) if (line === 'event task.started b') break;
    await simulator.waitForRequests(2, 20_000);
    const store = openSqliteStore(join(dir, 'store.db'));
    try {
      // The CLI named b's session (system/init) and asked the API: kill the host there.
      expect(await eventually(() => simulator.requests.some(about('TASK-B')), 10_000)).toBe(true);
      let b = (await store.runs.tasks('durable-run'))[1]!;
      for (let i = 0; i < 100 && b.sessionId === undefined; i += 1) {
        await new Promise((resolve) => setTimeout(resolve, 50));
        b = (await store.runs.tasks('durable-run'))[1]!;
      }
      expect(b).toMatchObject({ status: 'running' });
      expect(b.sessionId).toMatch(/^[0-9a-f-]{36}$/);
      // The CLI writes its transcript in the background: until b's turn is on disk, `--resume`
      // would find no conversation (and the run would, rightly, ask b afresh). On a busy
      // machine that write can come well after the request.
      expect(await eventually(() => transcriptHas(b.sessionId!, 'TASK-B write'), 20_000)).toBe(
        true,
      );
      first.host.kill('SIGKILL');
      await new Promise((resolve) => first.host.once('exit', resolve));
      // The report of what had ended was already on disk.
      expect(await readFile(join(dir, 'out', 'tasks', 'a.md'), 'utf8')).toContain('OUTLINE-A');
      const before = simulator.requests.length;

      const second = startHost(true);
      let summaryLine = '';
      for await (const line of second.lines) if (line.startsWith('summary ')) summaryLine = line;
      const summary = JSON.parse(summaryLine.slice('summary '.length));
      expect(summary.status).toBe('succeeded');
      const resumed = simulator.requests.slice(before);
      // a succeeded before the crash: never asked again.
      expect(resumed.filter(about('TASK-A write'))).toHaveLength(0);
      // b continued its session: the request carries the earlier turn and the continuation.
      const bRequest = resumed.find((r) =>
        r.prompt.startsWith(DEFAULT_CONTINUATION_PROMPT.slice(0, 40)),
      );
      expect(bRequest).toBeDefined();
      expect(JSON.stringify(bRequest!.body)).toContain('TASK-B write the chapter');
      expect(resumed.filter(about('TASK-C'))).toHaveLength(1);
      const tasks = await store.runs.tasks('durable-run');
      expect(tasks.map((t) => [t.taskId, t.status])).toEqual([
        ['a', 'succeeded'],
        ['b', 'succeeded'],
        ['c', 'succeeded'],
      ]);
      expect(tasks[1]!.sessionId).toBe(b.sessionId);
      expect(tasks[1]!.attempts).toBe(2);
      expect(summary.tasks.map((t: { output?: string }) => t.output)).toEqual([
        'OUTLINE-A',
        'CHAPTER-B',
        'REVIEW-C',
      ]);
      const report = JSON.parse(await readFile(join(dir, 'out', 'report.json'), 'utf8'));
      expect(report.counts).toMatchObject({ succeeded: 3, total: 3 });
    } finally {
      await store.close();
    }
  }, 60_000);
});

describe('claude-actors run --resume', () => {
  it("without --output continues in the folder (and journal) of the plan's latest run", async () => {
    dir = await mkdtemp(join(tmpdir(), 'ca-durable-cli-'));
    writeFileSync(
      join(dir, 'plan.json'),
      JSON.stringify({ name: 'one', tasks: [{ id: 'a', prompt: 'hi' }] }),
    );
    const main = fileURLToPath(new URL('../../src/cli/main.ts', import.meta.url));
    // Resolved here: the temporary folder has no node_modules.
    const tsx = pathToFileURL(createRequire(import.meta.url).resolve('tsx')).href;
    const run = (args: string[]) =>
      promisify(execFile)(process.execPath, ['--import', tsx, main, 'run', 'plan.json', ...args], {
        cwd: dir,
        env: { ...process.env, NODE_OPTIONS: '' },
        timeout: 60_000,
      });
    const first = await run([]);
    const runId = /Run (\S+), journalled in/.exec(first.stdout)?.[1];
    const second = await run([`--resume=${runId}`]);
    const out = join('claude-actors-output', 'one');
    expect(second.stdout).toContain(`Outputs go to ${out}/`);
    expect(second.stdout).toContain(
      `Resuming run ${runId}, journalled in ${join(dir, out, 'store.db')}`,
    );
    expect(second.stdout).toMatch(/kept\s+a: succeeded \(from the journal\)/);
  }, 90_000);
});
