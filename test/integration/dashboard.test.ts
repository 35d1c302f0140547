import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { serveDashboard } from '../../src/dashboard/serve-dashboard.js';
import { runTaskQueue } from '../../src/orchestration/task-queue/run-task-queue.js';
import { createRuntime } from '../../src/runtime/create-runtime.js';
import { apiError, text } from '../../src/testing/builders.js';
import {
  BROWSER_START_MS,
  hasChromium,
  launchBrowser,
  NO_CHROMIUM,
  type TestBrowser,
} from '../helpers/browser.js';
import { useSimulator } from '../helpers/integration.js';

if (!hasChromium) process.stderr.write(`dashboard integration test ${NO_CHROMIUM}\n`);

const sim = useSimulator();
/** The little of the DOM the page-side predicate uses. */
interface PageDocument {
  querySelector(
    selector: string,
  ): { readonly textContent: string | null; readonly dataset: Record<string, string> } | null;
  querySelectorAll(selector: string): Iterable<{ readonly textContent: string | null }>;
}

const ESSAY = Array.from({ length: 40 }, (_, i) => `word${i}`).join(' ');

describe.skipIf(!hasChromium)('the dashboard of a real run (real CLI, simulator, Chromium)', () => {
  let browser: TestBrowser;
  beforeAll(async () => {
    browser = await launchBrowser();
  }, BROWSER_START_MS);
  afterAll(async () => {
    await browser?.close();
  });

  it('shows the tasks, their streamed text, a restarted query and the cost', async () => {
    const runtime = createRuntime({
      defaults: {
        ...sim.env.options,
        includePartialMessages: true,
        retry: { maxAttempts: 2, initialDelayMs: 50, jitter: 0 },
      },
      limiter: { maxConcurrent: 2 },
    });
    // The outline's first attempt is refused (overloaded): the query restarts once.
    sim.env.simulator
      .on('Outline the guide', [apiError(529), text('1. Why 2. How')])
      .on('Write the guide', text(ESSAY, { chunkSize: 6, chunkDelayMs: 40 }));
    const plan = {
      name: 'guide',
      tasks: [
        { id: 'outline', prompt: 'Outline the guide.' },
        { id: 'write', prompt: 'Write the guide from {{deps.outline}}', dependsOn: ['outline'] },
      ],
    };
    const dashboard = await serveDashboard(runtime, { flushMs: 20, pollMs: 100 });
    try {
      const page = await browser.newPage();
      await page.goto(dashboard.url);
      const run = runTaskQueue(runtime, plan);
      dashboard.watchRun(run, plan);
      // Mid-stream: the task runs, part of its text is on the page, its query actor is shown
      // in its attempt.
      await page.waitForFunction(
        (length) => {
          // Runs in the page (this file is type-checked without the DOM library).
          const { document } = globalThis as unknown as { document: PageDocument };
          const node = document.querySelector('[data-task-id="write"]');
          const shown = document.querySelector('.text[data-task-id="write"] pre')?.textContent;
          // The query's actor, in the tree, is in its attempt (the tree follows worker states).
          const attempting = [...document.querySelectorAll('#tree .state')].some((state) =>
            state.textContent?.startsWith('running.attempt'),
          );
          return (
            node?.dataset.status === 'running' && !!shown && shown.length < length && attempting
          );
        },
        ESSAY.length,
        { timeout: 20_000 },
      );
      await browser.screenshot(page, 'real-run-streaming');
      const summary = await run.result;
      expect(summary.counts).toMatchObject({ succeeded: 2, total: 2 });
      await page.locator('[data-task-id="write"][data-status="succeeded"]').waitFor();
      await page.locator('.text[data-task-id="write"][data-done="true"]').waitFor();
      expect(await page.locator('.text[data-task-id="write"] pre').textContent()).toBe(ESSAY);
      const outline = await page.locator('.text[data-task-id="outline"] pre').textContent();
      expect(outline).toContain('[attempt 2]');
      expect(outline).toContain('1. Why 2. How');
      const errors = await page.locator('#errors').textContent();
      expect(errors).toMatch(/exited abnormally and was restarted \(restart 1\)/);
      expect(await page.locator('li[data-node-id="queries"]').count()).toBe(1);
      const cost = page.locator('[data-card="cost"] .value');
      await expect.poll(() => cost.textContent(), { timeout: 5_000 }).not.toBe('$0.0000');
      await browser.screenshot(page, 'real-run-done');
      await page.close();
    } finally {
      await dashboard.close();
      await runtime.stop();
    }
  });
});
