import { createServer, type IncomingMessage, type Server } from 'node:http';
import { createInspector, type StatelyInspectionEvent } from '@statelyai/inspect';
import { type RawData, WebSocket, WebSocketServer } from 'ws';
import type { InspectionEvent, Observer } from 'xstate';
import { bridgePage, EVENTS_PATH } from './bridge-page.js';
import {
  type ExposeInspectorOptions,
  resolveExposeInspectorOptions,
} from './expose-inspector-options.js';
import { silentInspectorLogger } from './inspector-logger.js';
import { ReplayBuffer } from './replay-buffer.js';
import { toJsonSafe } from './to-json-safe.js';

/** A running inspector server; see {@link exposeInspector}. */
export interface ExposedInspector {
  /** Inspection observer: pass it to `createActor(logic, { inspect })` or to a runtime. */
  readonly inspect: Observer<InspectionEvent>;
  /** The event stream, e.g. `ws://127.0.0.1:53817`. */
  readonly url: string;
  /** A page that shows the stream in the Stately inspector UI, e.g. `http://127.0.0.1:53817/`. */
  readonly viewerUrl: string;
  /** How many clients are connected now. */
  clients(): number;
  /**
   * The replay buffer: events held, its capacity (`maxBufferedEvents`), and events dropped
   * from it so far (oldest first) — also shown on the viewer page and in `/events.json`.
   */
  bufferStats(): { buffered: number; capacity: number; dropped: number };
  /** Closes every client connection and the server. Idempotent; later events are dropped. */
  close(): Promise<void>;
}

/** Nesting kept below an event (its snapshot gets two levels fewer): Stately's default + 2. */
const SERIALIZATION_DEPTH = 12;
/** Largest message a client may send (to be relayed). */
const MAX_CLIENT_MESSAGE_BYTES = 1024 * 1024;
/** A client this far behind is cut off rather than buffered without bound. */
const MAX_CLIENT_BACKLOG_BYTES = 16 * 1024 * 1024;
/** How long `close()` waits for a client to answer the close handshake. */
const CLOSE_GRACE_MS = 500;

/**
 * Serves the inspection events of a live actor system on a loopback WebSocket, in the format of
 * `@statelyai/inspect` (`StatelyInspectionEvent` as JSON text, one event per message), so the
 * Stately inspector UI, `createWebSocketReceiver` or any WebSocket client can watch it.
 *
 * Events are converted by `@statelyai/inspect`'s `createInspector` and sent to every connected
 * client; the last `maxBufferedEvents` (plus the registration of every live actor) are replayed
 * to a client when it connects, so a viewer that connects late still sees the tree. Messages a
 * client sends are relayed to the other clients, as `createInspectorServer` does (so another
 * process can publish into the same stream with `createWebSocketInspector({ url })`).
 *
 * Serialisation never throws: snapshots and events holding actor refs, functions, symbols,
 * bigints, errors or circular references are turned into plain JSON first.
 *
 * The server binds a loopback address only, and refuses WebSocket connections from browser
 * pages other than its own viewer page (no other site can read the stream). Any local user can
 * still connect: the stream holds prompts and tool results.
 *
 * **Watching a runtime in the Stately UI:** start the inspector, pass `inspect` to the actors
 * (or runtime) to watch, and open {@link ExposedInspector.viewerUrl} in a browser on the same
 * machine. That page frames https://stately.ai/inspect (the UI needs the internet; the runtime
 * and the stream do not; `inspectorUrl` names a self-hosted UI instead) and forwards the stream
 * into it; it can be opened any time, since earlier events are replayed. Above the frame it
 * says where the UI comes from, whether it loaded, how many events arrived and were dropped,
 * and links the raw events: `GET /events.json` gives `{ buffered, capacity, dropped, events }`
 * (the replay, oldest first), which needs no internet. To watch from code instead, use
 * `createWebSocketReceiver({ server: url })` from `@statelyai/inspect`.
 *
 * HTTP requests whose `Host` is not the inspector's own loopback address are refused (403), so
 * a site that rebinds its name to 127.0.0.1 cannot read the page or the events.
 *
 * @param options - Port, loopback host, replay buffer size, inspector UI URL, logger.
 * @returns The observer to pass to actors, the URLs, and `close()`.
 * @throws {@link InvalidOptionsError} for invalid options, e.g. a `host` that is not loopback.
 * @throws The `listen` error (e.g. `EADDRINUSE`) when the port cannot be bound.
 * @example
 * ```ts
 * const inspector = await exposeInspector({ port: 4747 });
 * const actor = createActor(machine, { inspect: inspector.inspect }).start();
 * logger.info(`open ${inspector.viewerUrl} to watch`);
 * // ...
 * await inspector.close();
 * ```
 */
export async function exposeInspector(
  options: ExposeInspectorOptions = {},
): Promise<ExposedInspector> {
  const {
    port,
    host,
    maxBufferedEvents,
    inspectorUrl,
    logger = silentInspectorLogger,
  } = resolveExposeInspectorOptions(options);
  const bindHost = host === 'localhost' ? '127.0.0.1' : host;
  const buffer = new ReplayBuffer(maxBufferedEvents);
  let closing: Promise<void> | undefined;
  // Known once the port is bound; no request is served before.
  let url = '';
  let pageOrigins = new Set<string>();
  const stats = () => ({
    buffered: buffer.size,
    capacity: maxBufferedEvents,
    dropped: buffer.dropped,
  });

  const httpServer: Server = createServer((request, response) => {
    // A page of another site that rebinds its name to 127.0.0.1 sends its own Host: refused.
    if (!pageOrigins.has(`http://${request.headers.host}`)) {
      response.writeHead(403, { 'content-type': 'text/plain' }).end('Forbidden host');
      return;
    }
    const path = (request.url ?? '/').split('?')[0];
    const headers = { 'cache-control': 'no-store', 'x-content-type-options': 'nosniff' };
    if (request.method === 'GET' && (path === '/' || path === '/index.html')) {
      const { buffered, dropped } = stats();
      response.writeHead(200, { ...headers, 'content-type': 'text/html; charset=utf-8' });
      response.end(
        bridgePage({
          wsUrl: url,
          inspectorUrl,
          buffered,
          dropped,
          capacity: Math.max(maxBufferedEvents, 1_000),
        }),
      );
      return;
    }
    if (request.method === 'GET' && path === EVENTS_PATH) {
      response.writeHead(200, { ...headers, 'content-type': 'application/json; charset=utf-8' });
      response.end(eventsJson(stats(), buffer.replay()));
      return;
    }
    response.writeHead(404, { 'content-type': 'text/plain' }).end('Not found');
  });
  const wss = new WebSocketServer({
    server: httpServer,
    maxPayload: MAX_CLIENT_MESSAGE_BYTES,
    // Browsers let any site open a WebSocket to loopback; only Node clients (no Origin) and our
    // own viewer page may read the stream.
    verifyClient: ({ origin }: { origin: string | undefined }) =>
      origin === undefined || pageOrigins.has(origin),
  });

  const send = (client: WebSocket, text: string): void => {
    if (client.readyState !== WebSocket.OPEN) return;
    if (client.bufferedAmount > MAX_CLIENT_BACKLOG_BYTES) {
      logger.warn({ backlogBytes: client.bufferedAmount }, 'inspector client too slow, dropped');
      client.terminate();
      return;
    }
    client.send(text);
  };

  wss.on('connection', (client: WebSocket, request: IncomingMessage) => {
    logger.debug({ remote: request.socket.remotePort }, 'inspector client connected');
    for (const text of buffer.replay()) send(client, text);
    client.on('message', (data: RawData, isBinary: boolean) => {
      if (isBinary) return;
      const text = rawDataToString(data);
      buffer.pushText(text);
      for (const other of wss.clients) if (other !== client) send(other, text);
    });
    client.on('error', (error) => logger.debug({ err: error }, 'inspector client error'));
  });
  wss.on('error', (error) => logger.warn({ err: error }, 'inspector server error'));

  const inspector = createInspector(
    {
      send(event: StatelyInspectionEvent) {
        // The inspector converts events in a later tick: some may arrive after close().
        if (closing) return;
        let text: string;
        try {
          text = JSON.stringify(toJsonSafe(event, SERIALIZATION_DEPTH));
        } catch (error) {
          logger.warn({ err: error, type: event.type }, 'inspection event not serialisable');
          return;
        }
        buffer.push(event, text);
        for (const client of wss.clients) send(client, text);
      },
    },
    { autoStart: false },
  );

  try {
    await listen(httpServer, port, bindHost);
  } catch (error) {
    wss.close();
    throw error;
  }
  httpServer.on('error', (error) => logger.warn({ err: error }, 'inspector server error'));
  const boundPort = (httpServer.address() as { port: number }).port;
  const authority = `${bindHost.includes(':') ? `[${bindHost}]` : bindHost}:${boundPort}`;
  url = `ws://${authority}`;
  const viewerUrl = `http://${authority}/`;
  pageOrigins = new Set([`http://${authority}`, `http://localhost:${boundPort}`]);
  logger.debug({ url, viewerUrl }, 'inspector listening');

  return {
    inspect: {
      next(event) {
        if (closing) return;
        try {
          inspector.inspect.next?.(event);
        } catch (error) {
          logger.warn({ err: error, type: event.type }, 'inspection event dropped');
        }
      },
    },
    url,
    viewerUrl,
    clients: () => [...wss.clients].filter((c) => c.readyState === WebSocket.OPEN).length,
    bufferStats: stats,
    close() {
      closing ??= closeServer(httpServer, wss).then(() => {
        logger.debug({ url }, 'inspector closed');
      });
      return closing;
    },
  };
}

function listen(server: Server, port: number, host: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const onError = (error: Error) => reject(error);
    server.once('error', onError);
    server.listen({ port, host }, () => {
      server.off('error', onError);
      resolve();
    });
  });
}

async function closeServer(httpServer: Server, wss: WebSocketServer): Promise<void> {
  // Stop accepting first, so no client joins while the others are being closed.
  const httpClosed = new Promise<void>((resolve) => httpServer.close(() => resolve()));
  const wssClosed = new Promise<void>((resolve) => wss.close(() => resolve()));
  await Promise.all([...wss.clients].map(closeClient));
  httpServer.closeAllConnections();
  await Promise.all([wssClosed, httpClosed]);
}

async function closeClient(client: WebSocket): Promise<void> {
  if (client.readyState === WebSocket.CLOSED) return;
  // Not `events.once`: that rejects on an `error` event, which a closing socket may emit.
  const closed = new Promise<void>((resolve) => client.once('close', () => resolve()));
  client.close(1001, 'inspector closed');
  const timer = setTimeout(() => client.terminate(), CLOSE_GRACE_MS);
  await closed.finally(() => clearTimeout(timer));
}

/**
 * `{ buffered, capacity, dropped, events }`: the replay, oldest first. A relayed message that is
 * not JSON is kept as a string.
 */
function eventsJson(stats: object, texts: readonly string[]): string {
  const events = texts.map((text) => {
    try {
      JSON.parse(text);
      return text;
    } catch {
      return JSON.stringify(text);
    }
  });
  return `${JSON.stringify(stats).slice(0, -1)},"events":[${events.join(',')}]}`;
}

function rawDataToString(data: RawData): string {
  if (Array.isArray(data)) return Buffer.concat(data).toString('utf8');
  if (data instanceof ArrayBuffer) return Buffer.from(data).toString('utf8');
  return data.toString('utf8');
}
