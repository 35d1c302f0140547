/**
 * The live dashboard of a task plan, offline: the diamond plan (examples/plans/diamond.yaml)
 * runs against the simulator, its outline's first attempt hits an overloaded API (the query is
 * restarted by its supervisor), and the text of each task streams. Open the printed URL while
 * it runs.
 *
 *   npx tsx examples/dashboard.ts             # the page closes with the run
 *   npx tsx examples/dashboard.ts --hold 60   # and stays up 60 s after it
 */
import { createRuntime, loadPlan, runTaskQueue, serveDashboard } from 'claude-actors';
import { createSimulatedEnvironment } from 'claude-actors/testing';

const hold = Number(process.argv[process.argv.indexOf('--hold') + 1] ?? 0) || 0;
const env = await createSimulatedEnvironment({ ttftMs: 400, chunkSize: 6, chunkDelayMs: 60 });
env.simulator.on('Outline', [
  { kind: 'error', status: 529 },
  { kind: 'text', text: '1. Why supervise 2. Restart strategies 3. When to give up' },
]);
const runtime = createRuntime({
  defaults: {
    ...env.options,
    includePartialMessages: true,
    retry: { maxAttempts: 2, initialDelayMs: 500 },
  },
  limiter: { maxConcurrent: 2 },
  budget: { totalUsd: 1 },
});
const dashboard = await serveDashboard(runtime);
console.log(`Dashboard: ${dashboard.url}`);
try {
  const plan = await loadPlan(new URL('./plans/diamond.yaml', import.meta.url).pathname);
  const run = runTaskQueue(runtime, plan);
  dashboard.watchRun(run, plan);
  const summary = await run.result;
  console.log(`${summary.counts.succeeded}/${summary.counts.total} tasks succeeded`);
  if (hold > 0) await new Promise((resolve) => setTimeout(resolve, hold * 1000));
} finally {
  await dashboard.close();
  await runtime.stop();
  await env.close();
}
