import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { systemClock } from '../core/clock.js';
import { redactSecrets } from '../core/redaction/redact-secrets.js';
import { type DashboardAsset, loadDashboardAssets } from './dashboard-assets.js';
import { type DashboardOptions, parseDashboardOptions } from './dashboard-options.js';
import type { DashboardRuntime } from './dashboard-runtime.js';
import { DashboardState } from './dashboard-state.js';
import type { DashboardSnapshot } from './dashboard-view.js';
import { SseClients } from './sse-clients.js';
import { type DashboardQuerySource, watchQuery } from './watch-query.js';
import { type DashboardPlan, type DashboardRunSource, watchRun } from './watch-run.js';
import { watchRuntime } from './watch-runtime.js';

/** A running dashboard server; see {@link serveDashboard}. */
export interface Dashboard {
  /** The page, e.g. `http://127.0.0.1:53817/`. */
  readonly url: string;
  /**
   * Shows a task plan's run: its DAG and each task's state as it changes.
   *
   * @param plan - The run's plan (for its tasks and their dependencies).
   * @returns Stops watching the run (what was shown stays).
   */
  watchRun(run: DashboardRunSource, plan: DashboardPlan): () => void;
  /**
   * Shows the live text of a query the runtime does not run (a `runQuery` of its own); the
   * runtime's own queries show without this.
   *
   * @returns Stops watching the query.
   */
  watchQuery(query: DashboardQuerySource): () => void;
  /** What the page shows now (as `GET /state.json` returns it). */
  snapshot(): DashboardSnapshot;
  /** Pages connected now. */
  clients(): number;
  /** Stops watching, ends every page's stream and closes the server. Idempotent. */
  close(): Promise<void>;
}

const HEADERS = { 'cache-control': 'no-store', 'x-content-type-options': 'nosniff' } as const;

/**
 * Serves a live dashboard of a runtime on a loopback address: the supervision tree with each
 * actor's state (restarts counted and listed), the DAG of each watched run with its tasks'
 * states, the live text of running queries, cost and tokens so far, the rate limiter, circuit
 * breaker and budget, and recent errors. The page is plain HTML, CSS and JavaScript shipped in
 * the package (nothing is loaded from the internet); changes are pushed to it over Server-Sent
 * Events (`GET /events`), gathered every `flushMs`. Every buffer is bounded (text per query,
 * queries, errors, runs: the oldest goes first, and what was dropped is counted) and everything
 * shown is redacted of secrets.
 *
 * Routes: `/` (the page), `/state.json` (the whole state), `/events` (the stream), `/metrics`
 * (the runtime's `metrics()` in the Prometheus text format; 404 with a message when the runtime
 * has none). Requests whose `Host` is not the server's own loopback address are refused (403),
 * so a site that rebinds its name to 127.0.0.1 cannot read the page.
 *
 * `serveDashboard(runtime)` is a function, not a runtime method: the runtime sits below this
 * layer and cannot import it.
 *
 * @param runtime - A runtime from `createRuntime` (or anything with its read methods).
 * @returns The URL, `watchRun`/`watchQuery`, and `close()`.
 * @throws {@link InvalidOptionsError} for invalid options, e.g. a `host` that is not loopback.
 * @throws The `listen` error (e.g. `EADDRINUSE`) when the port cannot be bound.
 * @example
 * ```ts
 * const runtime = createRuntime();
 * const dashboard = await serveDashboard(runtime, { port: 4800 });
 * const run = runTaskQueue(runtime, plan);
 * dashboard.watchRun(run, plan);
 * notify(`open ${dashboard.url}`);
 * await run.result;
 * await dashboard.close();
 * ```
 */
export async function serveDashboard(
  runtime: DashboardRuntime,
  options: DashboardOptions = {},
): Promise<Dashboard> {
  const resolved = parseDashboardOptions(options);
  const assets = await loadDashboardAssets();
  const state = new DashboardState(resolved, resolved.clock ?? systemClock);
  state.metrics = typeof runtime.metrics === 'function';
  const clients = new SseClients(resolved.maxClientBacklogBytes);
  const bindHost = resolved.host === 'localhost' ? '127.0.0.1' : resolved.host;
  let allowedHosts = new Set<string>();
  let closing: Promise<void> | undefined;

  let flushTimer: NodeJS.Timeout | undefined;
  const flush = (): void => {
    // Also called directly (a page connects, the server closes): no second flush pending.
    if (flushTimer) clearTimeout(flushTimer);
    flushTimer = undefined;
    const updates = state.drain();
    if (updates.length > 0 && clients.size > 0) {
      clients.broadcast('updates', JSON.stringify(updates));
    }
  };
  state.onChange(() => {
    if (flushTimer || closing) return;
    flushTimer = setTimeout(flush, resolved.flushMs);
    flushTimer.unref?.();
  });

  const server: Server = createServer((request, response) => {
    if (!allowedHosts.has(request.headers.host ?? '')) {
      response.writeHead(403, { 'content-type': 'text/plain' }).end('Forbidden host');
      return;
    }
    if (request.method !== 'GET' && request.method !== 'HEAD') {
      response.writeHead(405, { ...HEADERS, allow: 'GET, HEAD' }).end();
      return;
    }
    route(request, response);
  });

  const route = (request: IncomingMessage, response: ServerResponse): void => {
    const path = (request.url ?? '/').split('?')[0] ?? '/';
    const asset: DashboardAsset | undefined = assets.get(path === '/index.html' ? '/' : path);
    if (asset) {
      response.writeHead(200, { ...HEADERS, 'content-type': asset.type }).end(asset.body);
    } else if (path === '/state.json') {
      response
        .writeHead(200, { ...HEADERS, 'content-type': 'application/json; charset=utf-8' })
        .end(JSON.stringify(state.snapshot()));
    } else if (path === '/events') {
      // Pending changes first, so the snapshot and the updates after it agree.
      flush();
      clients.add(response, 'snapshot', JSON.stringify(state.snapshot()));
    } else if (path === '/metrics') serveMetrics(runtime, response);
    else response.writeHead(404, { ...HEADERS, 'content-type': 'text/plain' }).end('Not found');
  };

  const unwatch: (() => void)[] = [];
  await listen(server, resolved.port, bindHost);
  const port = (server.address() as { port: number }).port;
  const authority = `${bindHost.includes(':') ? `[${bindHost}]` : bindHost}:${port}`;
  allowedHosts = new Set([authority, `localhost:${port}`]);
  unwatch.push(watchRuntime(runtime, state, resolved.pollMs, resolved.flushMs));

  return {
    url: `http://${authority}/`,
    watchRun(run, plan) {
      const stop = watchRun(state, run, plan);
      unwatch.push(stop);
      return stop;
    },
    watchQuery(query) {
      const stop = watchQuery(state, query);
      unwatch.push(stop);
      return stop;
    },
    snapshot: () => state.snapshot(),
    clients: () => clients.size,
    close() {
      closing ??= (async () => {
        for (const stop of unwatch) stop();
        // The last changes reach the pages before their streams end.
        flush();
        clients.closeAll();
        const closed = new Promise<void>((resolve) => server.close(() => resolve()));
        server.closeAllConnections();
        await closed;
      })();
      return closing;
    },
  };
}

const PROMETHEUS_TEXT = 'text/plain; version=0.0.4; charset=utf-8';

function serveMetrics(runtime: DashboardRuntime, response: ServerResponse): void {
  const read = runtime.metrics;
  if (typeof read !== 'function') {
    response
      .writeHead(404, { ...HEADERS, 'content-type': 'text/plain; charset=utf-8' })
      .end('No metrics: this runtime has no metrics() (create it with metrics enabled).\n');
    return;
  }
  const render = async (): Promise<{ text: string; type: string }> => {
    const metrics = await read.call(runtime);
    if (typeof metrics === 'string') return { text: metrics, type: PROMETHEUS_TEXT };
    return { text: await metrics.metrics(), type: metrics.contentType ?? PROMETHEUS_TEXT };
  };
  render().then(
    ({ text, type }) => response.writeHead(200, { ...HEADERS, 'content-type': type }).end(text),
    (error: unknown) =>
      response
        .writeHead(500, { ...HEADERS, 'content-type': 'text/plain; charset=utf-8' })
        .end(
          `Reading the metrics failed: ${redactSecrets(error instanceof Error ? error.message : String(error))}\n`,
        ),
  );
}

function listen(server: Server, port: number, host: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const onError = (error: Error): void => reject(error);
    server.once('error', onError);
    server.listen({ port, host }, () => {
      server.off('error', onError);
      resolve();
    });
  });
}
