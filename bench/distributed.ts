/**
 * Distributed runs (issue 13), on a private redis-server (or REDIS_URL) with the real CLI:
 *
 * 1. 32 independent tasks, the simulated API answering each after 2 s, on 1, 2 and 4 worker
 *    processes of concurrency 2 (`test/fixtures/distributed/worker-host.ts`): wall time,
 *    speed-up over one worker and fraction of the ideal.
 * 2. Dispatch overhead per task: 200 tasks one after another (one scheduler slot) on an instant
 *    stand-in runtime (no CLI), in-process vs through Redis and one in-process worker.
 *
 *   npx tsx bench/distributed.ts
 *   npx tsx bench/distributed.ts --latency 1000 --tasks 16
 */
import { parseArgs } from 'node:util';
import { ReplaySubject } from 'rxjs';
import { bullmqBackend } from '../src/distributed/bullmq-backend.js';
import { createWorker } from '../src/distributed/create-worker.js';
import type { QueryResult } from '../src/machines/query/query-types.js';
import { runTaskQueue } from '../src/orchestration/task-queue/run-task-queue.js';
import type { TaskQueueRuntime } from '../src/orchestration/task-queue/task-scheduler.js';
import type { Runtime } from '../src/runtime/create-runtime.js';
import { createSimulatedEnvironment } from '../src/testing/create-simulated-environment.js';
import { bundleFixture } from '../test/helpers/bundle-fixture.js';
import { type KillableChild, startChild } from '../test/helpers/killable-child.js';
import { startTestRedis } from '../test/helpers/redis-server.js';

const { values } = parseArgs({
  options: {
    latency: { type: 'string', default: '2000' },
    tasks: { type: 'string', default: '32' },
    overhead: { type: 'string', default: '200' },
  },
});
const latency = Number(values.latency);
const count = Number(values.tasks);
const overheadTasks = Number(values.overhead);

const redis = await startTestRedis();
const env = await createSimulatedEnvironment({ ttftMs: latency });
const bundle = await bundleFixture(
  new URL('../test/fixtures/distributed/worker-host.ts', import.meta.url).pathname,
);
const noRuntime: TaskQueueRuntime = {
  query: () => {
    throw new Error('unused with a backend');
  },
};
const tasks = Array.from({ length: count }, (_, i) => ({
  id: `t${i + 1}`,
  prompt: `task ${i + 1}`,
}));

const rows: { workers: number; wallMs: number }[] = [];
try {
  for (const n of [1, 2, 4]) {
    const prefix = redis.prefix();
    const workers: KillableChild[] = Array.from({ length: n }, (_, i) =>
      startChild(bundle.script, {
        REDIS_URL: redis.url,
        PREFIX: prefix,
        HOST_QUERY_ENV: JSON.stringify(env.options.env),
        WORKER_NAME: `w${i + 1}`,
        CONCURRENCY: '2',
      }),
    );
    await Promise.all(workers.map((w) => w.waitForLine((l) => l.startsWith('ready '), 60_000)));
    const backend = bullmqBackend({ connection: redis.url, prefix, pollMs: 500 });
    const started = performance.now();
    const summary = await runTaskQueue(noRuntime, { tasks }, { backend, workers: 2 * n }).result;
    const wallMs = performance.now() - started;
    if (summary.counts.succeeded !== count) {
      throw new Error(`only ${summary.counts.succeeded} of ${count} succeeded`);
    }
    rows.push({ workers: n, wallMs });
    await backend.close();
    for (const w of workers) w.process.kill('SIGTERM');
    await Promise.all(workers.map((w) => w.exited));
  }

  // Dispatch overhead: an instant runtime, one task at a time.
  const instant = {
    query(_prompt: unknown, _options: unknown, runtimeOptions: { queryId?: string } = {}) {
      const messages = new ReplaySubject<never>();
      messages.complete();
      const result: QueryResult = {
        status: 'succeeded',
        queryId: runtimeOptions.queryId ?? 'q',
        text: 'ok',
        structuredOutput: undefined,
        sessionId: undefined,
        costUsd: 0,
        usage: {
          inputTokens: 0,
          outputTokens: 0,
          cacheReadInputTokens: 0,
          cacheCreationInputTokens: 0,
        },
        numTurns: 1,
        durationMs: 0,
        durationApiMs: undefined,
        attempts: 1,
        error: undefined,
        attemptErrors: [],
        raw: undefined,
      };
      return {
        queryId: result.queryId,
        tags: [],
        events$: messages,
        messages$: messages,
        result: Promise.resolve(result),
        actor: () => undefined,
        cancel: () => undefined,
      };
    },
    async stop() {},
  } as unknown as Runtime;
  const quick = Array.from({ length: overheadTasks }, (_, i) => ({ id: `q${i + 1}`, prompt: 'x' }));
  let at = performance.now();
  await runTaskQueue(instant, { tasks: quick }, { workers: 1 }).result;
  const localMs = (performance.now() - at) / overheadTasks;
  const prefix = redis.prefix();
  const worker = await createWorker({
    connection: redis.url,
    prefix,
    runtime: instant,
    concurrency: 1,
  });
  const backend = bullmqBackend({ connection: redis.url, prefix, pollMs: 1_000 });
  at = performance.now();
  const summary = await runTaskQueue(noRuntime, { tasks: quick }, { backend, workers: 1 }).result;
  const remoteMs = (performance.now() - at) / overheadTasks;
  if (summary.counts.succeeded !== overheadTasks) throw new Error('overhead run failed');
  await backend.close();
  await worker.close();

  const one = rows[0]!.wallMs;
  console.log(
    `${count} independent tasks, simulated API latency ${latency} ms, real CLI, worker processes of concurrency 2, one Redis, 2 cores shared`,
  );
  console.log('| worker processes | wall time | speed-up vs 1 | fraction of ideal |');
  console.log('|---|---|---|---|');
  for (const row of rows) {
    const speedUp = one / row.wallMs;
    console.log(
      `| ${row.workers} | ${(row.wallMs / 1000).toFixed(1)} s | ${speedUp.toFixed(2)}× | ${((speedUp / row.workers) * 100).toFixed(0)} % |`,
    );
  }
  console.log(
    `dispatch overhead, ${overheadTasks} tasks one at a time on an instant runtime: in-process ${localMs.toFixed(2)} ms/task, through Redis ${remoteMs.toFixed(2)} ms/task (+${(remoteMs - localMs).toFixed(2)} ms per task)`,
  );
} finally {
  bundle.remove();
  await env.close();
  await redis.stop();
}
