/**
 * Takes the README's screenshot of the dashboard (docs/dashboard.png): the diamond plan runs
 * against the simulator with the real CLI (the outline's first attempt overloaded, so restarted),
 * and headless Debian Chromium captures the page while `intro` and `examples` stream.
 *
 *   npx tsx scripts/dashboard-screenshot.ts [out.png]
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium } from 'playwright-core';
import { serveDashboard } from '../src/dashboard/serve-dashboard.js';
import { loadPlan } from '../src/orchestration/plan/load-plan.js';
import { runTaskQueue } from '../src/orchestration/task-queue/run-task-queue.js';
import { createRuntime } from '../src/runtime/create-runtime.js';
import { createSimulatedEnvironment } from '../src/testing/create-simulated-environment.js';

const out = process.argv[2] ?? 'docs/dashboard.png';
const LONG =
  'A supervisor watches its children and restarts the ones that fail, with backoff, up to an ' +
  'intensity limit; one_for_one restarts only the failed child, one_for_all restarts them all.';
const env = await createSimulatedEnvironment({ ttftMs: 300, chunkSize: 5, chunkDelayMs: 70 });
env.simulator
  .on('Outline', [
    { kind: 'error', status: 529 },
    { kind: 'text', text: '1. Why supervise 2. Restart strategies 3. When to give up' },
  ])
  .on('introduction', { kind: 'text', text: LONG })
  .on('examples', {
    kind: 'text',
    text:
      'Example 1: a worker crashes on a bad input and one_for_one restarts it alone. ' +
      'Example 2: a pool and its cache depend on each other, so one_for_all restarts both.',
  });
const runtime = createRuntime({
  defaults: {
    ...env.options,
    includePartialMessages: true,
    retry: { maxAttempts: 2, initialDelayMs: 300 },
  },
  limiter: { maxConcurrent: 2 },
  breaker: {},
  budget: { totalUsd: 1 },
});
const dashboard = await serveDashboard(runtime, { pollMs: 200 });
const profile = await mkdtemp(join(tmpdir(), 'dashboard-shot-'));
const browser = await chromium.launchPersistentContext(profile, {
  executablePath: '/usr/bin/chromium',
  args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking'],
  viewport: { width: 1280, height: 860 },
});
try {
  const page = await browser.newPage();
  await page.goto(dashboard.url);
  const plan = await loadPlan('examples/plans/diamond.yaml');
  const run = runTaskQueue(runtime, plan);
  dashboard.watchRun(run, plan);
  // Both middle tasks running, with half their text out.
  await page.waitForFunction(
    () => {
      const { document } = globalThis as unknown as {
        document: { querySelectorAll(s: string): ArrayLike<{ textContent: string | null }> };
      };
      const panes = Array.from(document.querySelectorAll('.text[data-done="false"] pre'));
      return panes.length >= 2 && panes.every((p) => (p.textContent ?? '').length > 60);
    },
    undefined,
    { timeout: 60_000 },
  );
  await page.screenshot({ path: out, fullPage: true });
  process.stdout.write(`wrote ${out}\n`);
  await run.result;
} finally {
  await browser.close();
  await rm(profile, { recursive: true, force: true });
  await dashboard.close();
  await runtime.stop();
  await env.close();
}
