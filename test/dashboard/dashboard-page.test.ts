import type { Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { type Dashboard, serveDashboard } from '../../src/dashboard/serve-dashboard.js';
import {
  BROWSER_START_MS,
  hasChromium,
  launchBrowser,
  NO_CHROMIUM,
  type TestBrowser,
} from '../helpers/browser.js';
import {
  assistant,
  createFakeRuntime,
  DIAMOND,
  delta,
  type FakeRuntime,
  progress,
} from './fake-runtime.js';

if (!hasChromium) process.stderr.write(`dashboard page tests ${NO_CHROMIUM}\n`);

/** The page in a real headless Chromium, fed by a scripted runtime and run. */
describe.skipIf(!hasChromium)('the dashboard page (headless Chromium)', () => {
  let browser: TestBrowser;
  let dashboard: Dashboard;
  let fake: FakeRuntime;
  let page: Page;
  /** Requests the page made to anywhere but the dashboard itself. */
  let external: string[];

  beforeAll(async () => {
    browser = await launchBrowser();
  }, BROWSER_START_MS);
  afterAll(async () => {
    await browser?.close();
  });

  async function open(): Promise<void> {
    fake = createFakeRuntime();
    dashboard = await serveDashboard(fake.runtime, { flushMs: 10, pollMs: 50 });
    dashboard.watchRun({ runId: 'run-1', progress$: fake.progress$ }, DIAMOND);
    external = [];
    page = await browser.newPage();
    const origin = new URL(dashboard.url).origin;
    await page.route('**/*', (route) => {
      const url = route.request().url();
      if (url.startsWith(origin)) return route.continue();
      external.push(url);
      return route.abort();
    });
    await page.goto(dashboard.url);
    await page.locator('#connection[data-state="live"]').waitFor();
  }

  afterEach(async () => {
    await page?.close();
    await dashboard?.close();
    expect(external).toEqual([]);
  });

  const task = (id: string, status: string) =>
    page.locator(`[data-task-id="${id}"][data-status="${status}"]`);

  it("shows a run's tasks as a DAG, changing state as the run goes", async () => {
    await open();
    for (const id of ['a', 'b', 'c', 'd']) await task(id, 'waiting').waitFor();
    // Laid out by depth: a, then b and c in one column, then d.
    const x = async (id: string) =>
      (await page.locator(`[data-task-id="${id}"]`).boundingBox())?.x ?? Number.NaN;
    expect(await x('a')).toBeLessThan(await x('b'));
    expect(await x('b')).toBe(await x('c'));
    expect(await x('c')).toBeLessThan(await x('d'));
    expect(await page.locator('#runs .edge').count()).toBe(4);

    fake.progress$.next(progress.queued('a'));
    await task('a', 'queued').waitFor();
    fake.progress$.next(progress.started('a'));
    await task('a', 'running').waitFor();
    fake.progress$.next(progress.succeeded('a', 0.0123));
    fake.progress$.next(progress.started('b'));
    fake.progress$.next(progress.started('c'));
    await task('a', 'succeeded').waitFor();
    await task('b', 'running').waitFor();
    expect(await page.locator('[data-task-id="a"] .sub').textContent()).toBe('succeeded · $0.0123');
    await browser.screenshot(page, 'tasks-running');

    fake.progress$.next(progress.failed('c', 'the API said no'));
    fake.progress$.next(progress.skipped('d', 'c'));
    fake.progress$.next(progress.succeeded('b'));
    fake.progress$.complete();
    await task('c', 'failed').waitFor();
    await task('d', 'skipped').waitFor();
    await page.locator('[data-run-id="run-1"][data-done="true"]').waitFor();
    await expect(page.locator('#errors').textContent()).resolves.toContain('the API said no');
    await browser.screenshot(page, 'tasks-ended');
  });

  it('streams the text of a running task as it is written', async () => {
    await open();
    dashboard.watchQuery({ queryId: 'q-a', messages$: fake.messages('q-a') });
    fake.progress$.next(progress.started('a'));
    const pane = page.locator('.text[data-query-id="q-a"] pre');
    let written = '';
    for (const word of ['Supervisors ', 'restart ', 'what ', 'fails.']) {
      written += word;
      fake.messages('q-a').next(delta(word));
      await expect.poll(() => pane.textContent(), { timeout: 5_000 }).toBe(written);
    }
    expect(await page.locator('.text[data-query-id="q-a"]').getAttribute('data-task-id')).toBe('a');
    expect(await page.locator('.text[data-query-id="q-a"]').getAttribute('data-done')).toBe(
      'false',
    );
    // The whole message repeats the streamed deltas: nothing is added but the tool call.
    fake.messages('q-a').next(assistant(written, 'Bash'));
    fake.messages('q-a').complete();
    await page.locator('.text[data-query-id="q-a"][data-done="true"]').waitFor();
    expect(await pane.textContent()).toBe(`${written}\n[tool: Bash]\n`);
    await browser.screenshot(page, 'text-streaming');
  });

  it('shows a restart appearing in the supervision tree, and the cost so far', async () => {
    await open();
    fake.tree$.next(fake.treeWith([{ id: 'q-a', restarts: 0, state: { running: 'streaming' } }]));
    const node = page.locator('li[data-node-id="q-a"]');
    await node.and(page.locator('[data-restarts="0"]')).waitFor();
    expect(await node.locator('.state').first().textContent()).toBe('running.streaming');
    fake.tree$.next(fake.treeWith([{ id: 'q-a', restarts: 1, state: { running: 'spawning' } }]));
    await node.and(page.locator('[data-restarts="1"]')).waitFor();
    expect(await node.locator('.restarts').textContent()).toBe('↻ 1');
    expect(await node.getAttribute('data-actor-id')).toBe('q-a:2');
    await expect(page.locator('#errors').textContent()).resolves.toContain(
      'q-a exited abnormally and was restarted (restart 1)',
    );

    fake.stats = {
      ...fake.stats,
      costUsd: 0.4321,
      inputTokens: 1200,
      outputTokens: 300,
      queries: 2,
    };
    fake.limiter = { ...fake.limiter, inFlight: 2, queued: 3 };
    fake.running = 2;
    const cost = page.locator('[data-card="cost"] .value');
    await expect.poll(() => cost.textContent(), { timeout: 5_000 }).toBe('$0.4321');
    expect(await page.locator('[data-card="tokens"] .value').textContent()).toBe('1,500');
    expect(await page.locator('[data-card="limiter"] .value').textContent()).toBe('2/2');
    expect(await page.locator('[data-card="limiter"] .detail').textContent()).toContain('3 queued');
    await browser.screenshot(page, 'tree-restart');
  });
});
