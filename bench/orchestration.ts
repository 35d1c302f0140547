/**
 * 16 independent tasks through the task queue with 1, 2, 4 and 8 workers, against the
 * simulator answering every request after a fixed 2 s, with the real CLI. Reports the speed-up
 * over one worker, as a fraction of the ideal, and the overhead the queue adds per task over the
 * same 16 queries run one after another directly on the runtime.
 *
 *   npm run bench:orchestration                  # 2 s latency, 16 tasks
 *   npm run bench:orchestration -- --latency 1000 --tasks 8
 */
import { parseArgs } from 'node:util';
import { runTaskQueue } from '../src/orchestration/task-queue/run-task-queue.js';
import { createRuntime } from '../src/runtime/create-runtime.js';
import { createSimulatedEnvironment } from '../src/testing/create-simulated-environment.js';

const { values } = parseArgs({
  options: {
    latency: { type: 'string', default: '2000' },
    tasks: { type: 'string', default: '16' },
  },
});
const latency = Number(values.latency);
const count = Number(values.tasks);
const env = await createSimulatedEnvironment({ ttftMs: latency });
const runtime = createRuntime({ defaults: env.options, limiter: { maxConcurrent: 8 } });
const tasks = Array.from({ length: count }, (_, i) => ({
  id: `t${i + 1}`,
  prompt: `task ${i + 1}`,
}));

const direct = performance.now();
for (const task of tasks) {
  const r = await runtime.query(task.prompt).result;
  if (r.status !== 'succeeded') throw new Error(r.error?.message);
}
const directMs = performance.now() - direct;

const rows: { workers: number; wallMs: number }[] = [];
for (const workers of [1, 2, 4, 8]) {
  const started = performance.now();
  const summary = await runTaskQueue(runtime, { tasks }, { workers }).result;
  if (summary.counts.succeeded !== count)
    throw new Error(`only ${summary.counts.succeeded} succeeded`);
  rows.push({ workers, wallMs: performance.now() - started });
}
await runtime.stop();
await env.close();

const one = rows[0]!.wallMs;
console.log(`${count} independent tasks, simulated API latency ${latency} ms, real CLI, 2 cores`);
console.log('| workers | wall time | speed-up vs 1 worker | fraction of ideal |');
console.log('| ---: | ---: | ---: | ---: |');
for (const { workers, wallMs } of rows) {
  const speedUp = one / wallMs;
  console.log(
    `| ${workers} | ${(wallMs / 1000).toFixed(1)} s | ${speedUp.toFixed(2)}× | ${((speedUp / workers) * 100).toFixed(0)} % |`,
  );
}
console.log(
  `direct sequential runtime.query: ${(directMs / 1000).toFixed(1)} s; queue overhead per task (1 worker): ${((one - directMs) / count).toFixed(0)} ms`,
);
