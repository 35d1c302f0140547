/**
 * How long a change takes to show on the dashboard page: a scripted task event is emitted and
 * headless Chromium waits until the DAG shows it (Playwright's `waitFor`, which adds its own
 * polling); N rounds per `flushMs`, median and p95.
 *
 *   npx tsx bench/dashboard-latency.ts [rounds]
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium } from 'playwright-core';
import { serveDashboard } from '../src/dashboard/serve-dashboard.js';
import { createFakeRuntime, DIAMOND, progress } from '../test/dashboard/fake-runtime.js';

const rounds = Number(process.argv[2] ?? 20);
const profile = await mkdtemp(join(tmpdir(), 'dashboard-bench-'));
const browser = await chromium.launchPersistentContext(profile, {
  executablePath: '/usr/bin/chromium',
  args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking'],
});
const quantile = (values: number[], q: number): number =>
  [...values].sort((a, b) => a - b)[Math.min(values.length - 1, Math.floor(q * values.length))]!;

try {
  for (const flushMs of [20, 100]) {
    const fake = createFakeRuntime();
    const dashboard = await serveDashboard(fake.runtime, { flushMs });
    const page = await browser.newPage();
    await page.goto(dashboard.url);
    const latencies: number[] = [];
    for (let i = 0; i < rounds; i++) {
      const runId = `run-${i}`;
      const run = { runId, progress$: fake.progress$ };
      dashboard.watchRun(run, DIAMOND);
      await page.locator(`[data-run-id="${runId}"] [data-task-id="a"]`).waitFor();
      const started = performance.now();
      fake.progress$.next({ ...progress.started('a'), runId });
      await page
        .locator(`[data-run-id="${runId}"] [data-task-id="a"][data-status="running"]`)
        .waitFor();
      latencies.push(performance.now() - started);
    }
    process.stdout.write(
      `flushMs ${flushMs}: event → page median ${quantile(latencies, 0.5).toFixed(0)} ms, ` +
        `p95 ${quantile(latencies, 0.95).toFixed(0)} ms over ${rounds} rounds\n`,
    );
    await page.close();
    await dashboard.close();
  }
} finally {
  await browser.close();
  await rm(profile, { recursive: true, force: true });
}
