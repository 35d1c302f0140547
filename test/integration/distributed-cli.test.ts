import { type ChildProcess, execFile, spawn } from 'node:child_process';
import {
  mkdtempSync,
  readdirSync,
  readFileSync,
  readlinkSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually } from '../helpers/integration.js';
import { redisUnavailable, startTestRedis, type TestRedis } from '../helpers/redis-server.js';

// `claude-actors worker` and `claude-actors run --redis` as a user runs them: two commands, the
// worker with its own built-in simulated API.
const why = redisUnavailable();
const main = fileURLToPath(new URL('../../src/cli/main.ts', import.meta.url));
const tsx = pathToFileURL(createRequire(import.meta.url).resolve('tsx')).href;
const execFileAsync = promisify(execFile);

/** Live processes working in `dir` (the commands and the CLIs they started there). */
function processesIn(dir: string): number[] {
  return readdirSync('/proc').flatMap((entry) => {
    const pid = Number(entry);
    if (!Number.isInteger(pid) || pid <= 0 || pid === process.pid) return [];
    try {
      const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
      if (stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3) === 'Z') return [];
      return readlinkSync(`/proc/${pid}/cwd`) === dir ? [pid] : [];
    } catch {
      return [];
    }
  });
}

describe.skipIf(why !== undefined)('claude-actors worker and run --redis', () => {
  let redis: TestRedis;
  let dir: string;
  let worker: ChildProcess | undefined;
  beforeAll(async () => {
    redis = await startTestRedis();
    dir = mkdtempSync(join(tmpdir(), 'ca-dist-cli-'));
  });
  afterAll(async () => {
    if (worker && worker.exitCode === null && worker.signalCode === null) worker.kill('SIGKILL');
    for (const pid of processesIn(dir)) {
      try {
        process.kill(pid, 'SIGKILL');
      } catch {
        // Gone.
      }
    }
    rmSync(dir, { recursive: true, force: true });
    await redis?.stop();
  });

  it('a worker runs the tasks of a run, prints a line per job, and exits 0 on SIGTERM', async () => {
    writeFileSync(
      join(dir, 'plan.json'),
      JSON.stringify({
        name: 'dist-cli',
        tasks: [
          { id: 'one', prompt: 'Say one.' },
          { id: 'two', prompt: 'Say two, after {{deps.one}}', dependsOn: ['one'] },
        ],
      }),
    );
    // `run` uses BullMQ's default prefix and queue: so does this worker.
    worker = spawn(
      process.execPath,
      [
        '--import',
        tsx,
        main,
        'worker',
        '--redis',
        redis.url,
        '--concurrency',
        '2',
        '--budget-usd',
        '5',
        '--global-concurrency',
        '3',
      ],
      {
        cwd: dir,
        env: { ...process.env, NODE_OPTIONS: '' },
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    const second: string[] = [];
    createInterface({ input: worker.stdout! }).on('line', (line) => second.push(line));
    const secondExit = new Promise<number | null>((resolve) =>
      worker!.once('exit', (code) => resolve(code)),
    );
    expect(await eventually(() => second.some((l) => l.startsWith('Worker ')), 60_000)).toBe(true);
    expect(second[0]).toContain(
      `on ${redis.url}, queue claude-actors, concurrency 2, shared budget $5.0000, simulated API`,
    );
    // The worker joined the queue's shared admission: its cap is set on the queue.
    const { Queue } = await import('bullmq');
    const queue = new Queue('claude-actors', {
      connection: { host: redis.host, port: redis.port },
    });
    try {
      let cap: number | null = null;
      for (let i = 0; i < 100 && cap !== 3; i++) {
        cap = await queue.getGlobalConcurrency();
        if (cap !== 3) await new Promise((resolve) => setTimeout(resolve, 100));
      }
      expect(cap).toBe(3);
    } finally {
      await queue.close();
    }

    const run = await execFileAsync(
      process.execPath,
      [
        '--import',
        tsx,
        main,
        'run',
        'plan.json',
        '--redis',
        redis.url,
        '--no-store',
        '--output',
        'out',
      ],
      { cwd: dir, env: { ...process.env, NODE_OPTIONS: '' }, timeout: 90_000 },
    );
    expect(run.stdout).toContain(`Dispatching to the workers of ${redis.url}.`);
    expect(run.stdout).toMatch(/2 succeeded, 0 failed/);
    const report = JSON.parse(readFileSync(join(dir, 'out', 'report.json'), 'utf8'));
    expect(report.counts).toMatchObject({ total: 2, succeeded: 2 });
    expect(second.filter((l) => / succeeded in /.test(l))).toHaveLength(2);
    expect(second.some((l) => /^job [^ ]+\.one\.1 started \(task one, attempt 1\)$/.test(l))).toBe(
      true,
    );

    worker.kill('SIGTERM');
    expect(await secondExit).toBe(0);
    expect(second.at(-1)).toBe('Worker stopped.');
    expect(await eventually(() => processesIn(dir).length === 0, 10_000)).toBe(true);
  }, 180_000);
});
