import { request } from 'node:http';
import { afterEach, describe, expect, it } from 'vitest';
import type { DashboardUpdate } from '../../src/dashboard/dashboard-view.js';
import { type Dashboard, serveDashboard } from '../../src/dashboard/serve-dashboard.js';
import { createFakeRuntime, DIAMOND, delta, progress } from './fake-runtime.js';
import { openEvents } from './sse-reader.js';

let dashboard: Dashboard | undefined;
afterEach(async () => {
  await dashboard?.close();
  dashboard = undefined;
});

function fetchRaw(
  url: string,
  options: { method?: string; host?: string } = {},
): Promise<{ status: number; type: string; body: string }> {
  return new Promise((resolve, reject) => {
    const target = new URL(url);
    const req = request(
      {
        host: target.hostname,
        port: target.port,
        path: target.pathname,
        method: options.method ?? 'GET',
        agent: false,
        headers: options.host ? { host: options.host } : {},
      },
      (response) => {
        let body = '';
        response.setEncoding('utf8');
        response.on('data', (chunk: string) => {
          body += chunk;
        });
        response.on('end', () =>
          resolve({
            status: response.statusCode ?? 0,
            type: String(response.headers['content-type']),
            body,
          }),
        );
      },
    );
    req.on('error', reject).end();
  });
}

describe('serveDashboard', () => {
  it.each([
    [{ host: '0.0.0.0' }, /`host`.*loopback.*0\.0\.0\.0/s],
    [{ host: '192.168.1.4' }, /`host`.*192\.168\.1\.4/s],
    [{ port: 70_000 }, /`port`.*70000/s],
    [{ maxTextChars: 0 }, /`maxTextChars`/],
    // Past the longest timer Node honours: it would fire at once, every millisecond.
    [{ pollMs: 1e12 }, /`pollMs`.*24\.8 days.*1000000000000/s],
    [{ flushMs: 2 ** 31 }, /`flushMs`.*24\.8 days/s],
  ])('refuses %o with an error naming the option and the value', async (options, message) => {
    const fake = createFakeRuntime();
    await expect(serveDashboard(fake.runtime, options as never)).rejects.toThrow(message);
  });

  it('serves the page and its files from this machine, and nothing else', async () => {
    dashboard = await serveDashboard(createFakeRuntime().runtime);
    expect(dashboard.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/$/);
    const page = await fetchRaw(dashboard.url);
    expect(page).toMatchObject({ status: 200, type: 'text/html; charset=utf-8' });
    expect(page.body).toContain('<script type="module" src="/dashboard.js">');
    // Nothing from the internet: no absolute URL in the page's files.
    for (const path of ['', 'dashboard.js', 'dashboard.css']) {
      const file = await fetchRaw(`${dashboard.url}${path}`);
      expect(file.status).toBe(200);
      expect(file.body).not.toMatch(/(src|href)=["']?(https?:)?\/\//);
      expect(file.body).not.toMatch(/@import|url\(\s*["']?https?:/);
    }
    expect((await fetchRaw(`${dashboard.url}dashboard.js`)).type).toMatch(/^text\/javascript/);
    expect((await fetchRaw(`${dashboard.url}nope`)).status).toBe(404);
    expect((await fetchRaw(dashboard.url, { method: 'POST' })).status).toBe(405);
  });

  it('rejects with the listen error when the port is taken, leaving nothing running', async () => {
    dashboard = await serveDashboard(createFakeRuntime().runtime);
    const port = Number(new URL(dashboard.url).port);
    const fake = createFakeRuntime();
    await expect(serveDashboard(fake.runtime, { port })).rejects.toThrow(/EADDRINUSE/);
    // Nothing watches the runtime of the failed server.
    expect(fake.tree$.observed).toBe(false);
  });

  it('refuses a request whose Host is not its own (DNS rebinding)', async () => {
    dashboard = await serveDashboard(createFakeRuntime().runtime);
    const refused = await fetchRaw(`${dashboard.url}state.json`, { host: 'evil.example:80' });
    expect(refused).toMatchObject({ status: 403, body: 'Forbidden host' });
    const port = new URL(dashboard.url).port;
    expect((await fetchRaw(dashboard.url, { host: `localhost:${port}` })).status).toBe(200);
  });

  it('answers /metrics with 404 and a reason when the runtime has no metrics()', async () => {
    dashboard = await serveDashboard(createFakeRuntime().runtime);
    const response = await fetchRaw(`${dashboard.url}metrics`);
    expect(response.status).toBe(404);
    expect(response.body).toMatch(/no metrics\(\)/);
    expect(dashboard.snapshot().metrics).toBe(false);
  });

  it("serves the runtime's metrics() text on /metrics", async () => {
    const fake = createFakeRuntime();
    const text = '# TYPE claude_actors_queries_total counter\nclaude_actors_queries_total 3\n';
    dashboard = await serveDashboard({ ...fake.runtime, metrics: async () => text });
    const response = await fetchRaw(`${dashboard.url}metrics`);
    expect(response).toMatchObject({ status: 200, body: text });
    expect(response.type).toMatch(/^text\/plain; version=0\.0\.4/);
    expect(dashboard.snapshot().metrics).toBe(true);
  });

  it('serves a registry that metrics() returns (prom-client), with its content type', async () => {
    const { Registry, Counter } = await import('prom-client');
    const registry = new Registry();
    new Counter({ name: 'dashboard_test_total', help: 'A test.', registers: [registry] }).inc(2);
    dashboard = await serveDashboard({ ...createFakeRuntime().runtime, metrics: () => registry });
    const response = await fetchRaw(`${dashboard.url}metrics`);
    expect(response.status).toBe(200);
    expect(response.body).toContain('dashboard_test_total 2');
    expect(response.type).toBe(registry.contentType);
  });

  it('answers /metrics with 500 and the reason when metrics() throws', async () => {
    const fake = createFakeRuntime();
    dashboard = await serveDashboard({
      ...fake.runtime,
      metrics: () => {
        throw new Error('registry gone');
      },
    });
    const response = await fetchRaw(`${dashboard.url}metrics`);
    expect(response).toMatchObject({ status: 500 });
    expect(response.body).toMatch(/registry gone/);
  });

  it('streams the whole state on connect, then the changes, gathered', async () => {
    const fake = createFakeRuntime();
    fake.stats = { ...fake.stats, costUsd: 0.25, inputTokens: 10, outputTokens: 5 };
    dashboard = await serveDashboard(fake.runtime, { flushMs: 5 });
    dashboard.watchRun({ runId: 'run-1', progress$: fake.progress$ }, DIAMOND);
    dashboard.watchQuery({ queryId: 'q-a', messages$: fake.messages('q-a') });
    const events = await openEvents(`${dashboard.url}events`);
    try {
      expect(events.response.headers['content-type']).toMatch(/^text\/event-stream/);
      const first = await events.next();
      expect(first.event).toBe('snapshot');
      const snapshot = JSON.parse(first.data);
      expect(snapshot.runs[0].tasks).toHaveLength(4);
      expect(snapshot.system.stats).toMatchObject({ costUsd: 0.25, inputTokens: 10 });
      expect(snapshot.tree.id).toBe('claude-actors');
      fake.progress$.next(progress.started('a'));
      fake.messages('q-a').next(delta('Hel'));
      fake.messages('q-a').next(delta('lo'));
      const next = await events.next();
      expect(next.event).toBe('updates');
      const updates = JSON.parse(next.data) as DashboardUpdate[];
      expect(updates.map((u) => u.type)).toEqual(['run', 'text']);
      expect(updates[1]).toMatchObject({ text: { queryId: 'q-a', taskId: 'a', text: 'Hello' } });
      expect(dashboard.clients()).toBe(1);
    } finally {
      events.close();
    }
  });

  it('shows a restart in the tree and lists it among the errors', async () => {
    const fake = createFakeRuntime();
    dashboard = await serveDashboard(fake.runtime, { flushMs: 5 });
    fake.tree$.next(fake.treeWith([{ id: 'q1', restarts: 0 }]));
    fake.tree$.next(fake.treeWith([{ id: 'q1', restarts: 1 }]));
    fake.tree$.next(fake.treeWith([{ id: 'q1', restarts: 1 }]));
    const snapshot = dashboard.snapshot();
    expect(snapshot.tree?.children?.[0]?.children?.[0]).toMatchObject({ id: 'q1', restarts: 1 });
    expect(snapshot.errors.map((e) => e.message)).toEqual([
      'q1 exited abnormally and was restarted (restart 1)',
    ]);
  });

  it('ends the streams and closes on close(), once', async () => {
    dashboard = await serveDashboard(createFakeRuntime().runtime);
    const events = await openEvents(`${dashboard.url}events`);
    await events.next();
    const ended = new Promise<void>((resolve) => events.response.on('close', () => resolve()));
    const url = dashboard.url;
    const closing = dashboard.close();
    expect(dashboard.close()).toBe(closing);
    await closing;
    await ended;
    await expect(fetchRaw(url)).rejects.toThrow(/ECONNREFUSED/);
  });
});
