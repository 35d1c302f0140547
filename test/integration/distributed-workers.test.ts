import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Redis } from 'ioredis';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { type BullmqBackend, bullmqBackend } from '../../src/distributed/bullmq-backend.js';
import { loadPlan } from '../../src/orchestration/plan/load-plan.js';
import type { PlanInput } from '../../src/orchestration/plan/plan-schema.js';
import { runTaskQueue } from '../../src/orchestration/task-queue/run-task-queue.js';
import type { TaskQueueRuntime } from '../../src/orchestration/task-queue/task-scheduler.js';
import { text } from '../../src/testing/builders.js';
import type { SimRequest } from '../../src/testing/sim-request.js';
import { type BundledFixture, bundleFixture } from '../helpers/bundle-fixture.js';
import { eventually, useSimulator } from '../helpers/integration.js';
import { type KillableChild, startChild } from '../helpers/killable-child.js';
import { processesWithEnv } from '../helpers/processes-with-env.js';
import { redisUnavailable, startTestRedis, type TestRedis } from '../helpers/redis-server.js';

// Issue 13: a scheduler (this process) and worker processes on one private Redis, the real CLI
// answering through the simulator. Kept to few CLI processes: the machine has 2 cores.
const sim = useSimulator();
const why = redisUnavailable();
const workerFixture = fileURLToPath(
  new URL('../fixtures/distributed/worker-host.ts', import.meta.url),
);
const dagPath = fileURLToPath(new URL('../fixtures/durable/dag-12.yaml', import.meta.url));
const REPLY = { ttftMs: 150, chunkDelayMs: 20, chunkSize: 16 } as const;

/** The scheduler's runtime is never asked: the backend runs every query. */
const noRuntime: TaskQueueRuntime = {
  query: () => {
    throw new Error('a run with a backend must not query its runtime');
  },
};

/** The task an API request belongs to: the `[task:<id>]` its conversation starts with. */
function taskOf(request: SimRequest): string | undefined {
  const own = /^\[task:([A-Za-z0-9_-]+)\]/.exec(request.prompt);
  if (own) return own[1];
  const messages = (request.body as { messages?: unknown }).messages;
  return /\[task:([A-Za-z0-9_-]+)\]/.exec(JSON.stringify(messages ?? []))?.[1];
}

function requestsByTask(requests: readonly SimRequest[]): Map<string, number> {
  const counts = new Map<string, number>();
  for (const request of requests) {
    const id = taskOf(request) ?? '(none)';
    counts.set(id, (counts.get(id) ?? 0) + 1);
  }
  return counts;
}

describe.skipIf(why !== undefined)('distributed runs on real Redis and the real CLI', () => {
  let redis: TestRedis;
  let bundle: BundledFixture;
  let workers: KillableChild[] = [];
  let backend: BullmqBackend | undefined;
  let dir: string;
  const cliEntry = (): string => `ANTHROPIC_BASE_URL=${sim.env.simulator.url}`;

  beforeAll(async () => {
    redis = await startTestRedis();
    bundle = await bundleFixture(workerFixture);
  }, 60_000);
  afterEach(async () => {
    await backend?.close();
    backend = undefined;
    for (const worker of workers) await worker.kill();
    workers = [];
    for (const pid of processesWithEnv(cliEntry())) {
      try {
        process.kill(pid, 'SIGKILL');
      } catch {
        // Gone.
      }
    }
    if (dir) rmSync(dir, { recursive: true, force: true });
  });
  afterAll(async () => {
    bundle?.remove();
    await redis?.stop();
  });

  const startWorkers = async (
    prefix: string,
    count: number,
    env: Record<string, string> = {},
  ): Promise<KillableChild[]> => {
    const started = Array.from({ length: count }, (_, i) =>
      startChild(bundle.script, {
        REDIS_URL: redis.url,
        PREFIX: prefix,
        HOST_QUERY_ENV: JSON.stringify(sim.env.options.env),
        WORKER_NAME: `w${i + 1}`,
        CONCURRENCY: '2',
        ...env,
      }),
    );
    workers.push(...started);
    await Promise.all(started.map((w) => w.waitForLine((l) => l.startsWith('ready '), 60_000)));
    return started;
  };

  it('runs a 12-task DAG on 3 worker processes, each task exactly once, and they drain on SIGTERM', async () => {
    const plan = await loadPlan(dagPath);
    for (const task of plan.tasks) {
      sim.env.simulator.on((r) => taskOf(r) === task.id, text(`OUT[${task.id}] done.`, REPLY));
    }
    const prefix = redis.prefix();
    const started = await startWorkers(prefix, 3);
    dir = mkdtempSync(join(tmpdir(), 'ca-dist-'));
    backend = bullmqBackend({ connection: redis.url, prefix, pollMs: 250 });
    const run = runTaskQueue(noRuntime, plan, {
      backend,
      workers: 6,
      runId: 'dist-dag',
      outputDir: dir,
    });
    const summary = await run.result;
    expect(summary.counts).toMatchObject({ total: 12, succeeded: 12 });
    for (const task of summary.tasks) expect(task.output).toBe(`OUT[${task.id}] done.`);
    // Each task reached the API once, and was started once, on one of the workers.
    const counts = requestsByTask(sim.env.simulator.requests);
    expect([...counts.entries()].sort()).toEqual(plan.tasks.map((t) => [t.id, 1] as const).sort());
    const startedLines = started.flatMap((w) => w.lines.filter((l) => l.startsWith('started ')));
    expect(startedLines.sort()).toEqual(plan.tasks.map((t) => `started dist-dag.${t.id}.1`).sort());
    expect(
      started.filter((w) => w.lines.some((l) => l.startsWith('started '))).length,
    ).toBeGreaterThan(1);
    for (const w of started) w.process.kill('SIGTERM');
    for (const w of started) expect((await w.exited).code).toBe(0);
    expect(processesWithEnv(cliEntry())).toEqual([]);
  }, 180_000);

  it('recovers the task of a SIGKILLed worker on another, continuing its session, once in the report, no orphan CLI', async () => {
    const plan: PlanInput = {
      name: 'dist-kill',
      defaults: { maxTurns: 1, tools: [] },
      tasks: [{ id: 'slow', prompt: '[task:slow] Take your time.' }],
    };
    // First request: slow (the worker dies meanwhile); the continued session answers at once.
    sim.env.simulator.on(
      (r) => taskOf(r) === 'slow',
      [
        text('never finished', { ttftMs: 20_000 }),
        text('OUT[slow] finished after the crash.', REPLY),
      ],
    );
    const prefix = redis.prefix();
    const pair = await startWorkers(prefix, 2, {
      LOCK_MS: '2000',
      STALLED_MS: '1000',
      CONCURRENCY: '1',
    });
    dir = mkdtempSync(join(tmpdir(), 'ca-dist-'));
    backend = bullmqBackend({ connection: redis.url, prefix, pollMs: 250 });
    const run = runTaskQueue(noRuntime, plan, {
      backend,
      workers: 1,
      runId: 'dist-kill',
      outputDir: dir,
    });
    const jobId = 'dist-kill.slow.1';
    const holderAt = await Promise.race(
      pair.map((w, i) => w.waitForLine((l) => l === `started ${jobId}`, 60_000).then(() => i)),
    );
    const holder = pair[holderAt]!;
    const other = pair[1 - holderAt]!;
    // The session is on the job before the kill: the API has the request, Redis the session id.
    await sim.env.simulator.waitForRequests(1, 60_000);
    const client = new Redis(redis.url, { maxRetriesPerRequest: null });
    try {
      let progress: string | null = null;
      for (let i = 0; i < 200 && !progress?.includes('sessionId'); i++) {
        progress = await client.hget(`${prefix}:claude-actors:${jobId}`, 'progress');
        if (!progress?.includes('sessionId')) await new Promise((r) => setTimeout(r, 50));
      }
      expect(progress).toContain('sessionId');
    } finally {
      client.disconnect();
    }
    expect(processesWithEnv(cliEntry())).toHaveLength(1);
    await holder.kill();
    // The dead worker's CLI goes with it (its watchdog), and no other is left behind.
    expect(await eventually(() => processesWithEnv(cliEntry()).length === 0, 10_000)).toBe(true);
    const summary = await run.result;
    expect(summary.counts).toMatchObject({ total: 1, succeeded: 1 });
    expect(summary.tasks).toHaveLength(1);
    expect(summary.tasks[0]).toMatchObject({ id: 'slow', status: 'succeeded', attempts: 1 });
    expect(summary.tasks[0]!.output).toBe('OUT[slow] finished after the crash.');
    expect(other.lines.some((l) => l.startsWith(`started ${jobId} resume `))).toBe(true);
    expect(other.lines).toContain(`ended ${jobId} succeeded`);
    expect(requestsByTask(sim.env.simulator.requests).get('slow')).toBe(2);
    other.process.kill('SIGTERM');
    expect((await other.exited).code).toBe(0);
    expect(processesWithEnv(cliEntry())).toEqual([]);
  }, 120_000);

  it('Redis restarted mid-run (its data gone): every task still ends, succeeded or failed with a code, none silently lost', async () => {
    const plan: PlanInput = {
      name: 'dist-restart',
      defaults: { maxTurns: 1, tools: [] },
      tasks: ['a', 'b', 'c'].map((id) => ({ id, prompt: `[task:${id}] Part ${id}.` })),
    };
    for (const id of ['a', 'b', 'c']) {
      sim.env.simulator.on(
        (r) => taskOf(r) === id,
        text(`OUT[${id}]`, { ...REPLY, ttftMs: 1_500 }),
      );
    }
    const prefix = redis.prefix();
    await startWorkers(prefix, 1, { CONCURRENCY: '3' });
    dir = mkdtempSync(join(tmpdir(), 'ca-dist-'));
    backend = bullmqBackend({ connection: redis.url, prefix, pollMs: 250, unavailableMs: 20_000 });
    const run = runTaskQueue(noRuntime, plan, {
      backend,
      workers: 3,
      runId: 'dist-restart',
      outputDir: dir,
    });
    await sim.env.simulator.waitForRequests(1, 60_000);
    await redis.restart();
    const summary = await run.result;
    expect(summary.tasks.map((t) => t.id)).toEqual(['a', 'b', 'c']);
    for (const task of summary.tasks) {
      if (task.status === 'succeeded') expect(task.output).toBe(`OUT[${task.id}]`);
      else {
        expect(task.status).toBe('failed');
        expect(['JOB_LOST', 'BACKEND_UNAVAILABLE', 'JOB_FAILED']).toContain(task.errorCode);
      }
    }
  }, 120_000);
});
