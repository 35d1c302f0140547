import { request as httpRequest } from 'node:http';
import { networkInterfaces } from 'node:os';
import { runInNewContext } from 'node:vm';
import type { StatelyActorEvent, StatelyInspectionEvent } from '@statelyai/inspect';
import { createWebSocketReceiver } from '@statelyai/inspect';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { createActor } from 'xstate';
import { InvalidOptionsError } from '../../src/core/validation/invalid-options-error.js';
import { type ExposedInspector, exposeInspector } from '../../src/inspection/expose-inspector.js';
import type { ExposeInspectorOptions } from '../../src/inspection/expose-inspector-options.js';
import { connect, type RawClient } from './fixtures/raw-client.js';
import { treeMachine, until } from './fixtures/tree.js';

const opened: ExposedInspector[] = [];
const started: Array<{ stop(): unknown }> = [];

async function open(options?: ExposeInspectorOptions): Promise<ExposedInspector> {
  const inspector = await exposeInspector(options);
  opened.push(inspector);
  return inspector;
}

function startTree(inspector: ExposedInspector) {
  const root = createActor(treeMachine, { inspect: inspector.inspect }).start();
  started.push(root);
  const a = root.getSnapshot().children.a!;
  return {
    root,
    a,
    b: root.getSnapshot().children.b!,
    gc: a.getSnapshot().children.gc!,
  };
}

const actorEvents = (events: readonly unknown[]) =>
  (events as StatelyInspectionEvent[]).filter(
    (e): e is StatelyActorEvent => e.type === '@xstate.actor',
  );

/** `name → parentId` of every `@xstate.actor` event received. */
const parents = (events: readonly unknown[]) =>
  Object.fromEntries(actorEvents(events).map((e) => [e.name, e.parentId]));

afterEach(async () => {
  for (const actor of started.splice(0)) actor.stop();
  await Promise.all(opened.splice(0).map((inspector) => inspector.close()));
});

describe('exposeInspector', () => {
  it('listens on a free loopback port by default', async () => {
    const inspector = await open();
    expect(inspector.url).toMatch(/^ws:\/\/127\.0\.0\.1:\d+$/);
    expect(inspector.url).not.toBe('ws://127.0.0.1:0');
    expect(inspector.viewerUrl).toBe(`${inspector.url.replace('ws:', 'http:')}/`);
    expect(inspector.clients()).toBe(0);
  });

  it('sends a Stately receiver every actor of the tree with its parent session id', async () => {
    const inspector = await open();
    const received: StatelyInspectionEvent[] = [];
    createWebSocketReceiver({ server: inspector.url }).subscribe((event) => {
      received.push(event);
    });
    await until(() => inspector.clients() === 1, 'the receiver to connect');

    const { root, a, b, gc } = startTree(inspector);
    await until(() => actorEvents(received).length === 4, 'four actor events');

    const bySession = new Map(actorEvents(received).map((e) => [e.sessionId, e]));
    expect(bySession.get(root.sessionId)).toMatchObject({ name: 'root' });
    expect(bySession.get(root.sessionId)!.parentId).toBeUndefined();
    expect(bySession.get(a.sessionId)).toMatchObject({ name: 'a', parentId: root.sessionId });
    expect(bySession.get(b.sessionId)).toMatchObject({ name: 'b', parentId: root.sessionId });
    expect(bySession.get(gc.sessionId)).toMatchObject({ name: 'gc', parentId: a.sessionId });
    for (const event of actorEvents(received)) {
      expect(event.rootId).toBe(root.sessionId);
      expect(event._version).toEqual(expect.any(String));
    }
  });

  it('serialises snapshots holding refs, functions, symbols, bigints and cycles', async () => {
    const inspector = await open();
    const client = await connect(inspector.url);
    const { root } = startTree(inspector);
    root.send({ type: 'PING' });
    const isPing = (e: StatelyInspectionEvent) =>
      e.type === '@xstate.snapshot' && e.sessionId === root.sessionId && e.event.type === 'PING';
    await until(
      () => (client.messages as StatelyInspectionEvent[]).some(isPing),
      'the PING snapshot',
    );

    const rootActor = actorEvents(client.messages).find((e) => e.sessionId === root.sessionId)!;
    const snapshot = rootActor.snapshot as {
      context: { extras: Record<string, unknown> };
      children: Record<string, unknown>;
    };
    expect(snapshot.context.extras).toEqual({
      fn: { type: 'helper' },
      sym: 'Symbol(tag)',
      big: '10',
      cycle: { name: 'cycle', self: '[Circular]' },
    });
    expect(snapshot.children.a).toEqual({ xstate$$type: 1, id: 'a' });
    const ping = (client.messages as StatelyInspectionEvent[]).find(isPing)!;
    expect(ping).toMatchObject({ snapshot: { value: 'pinged', context: { label: 'pinged' } } });
  });

  it('replays buffered events to a client that connects late', async () => {
    const inspector = await open();
    const early = await connect(inspector.url);
    const { root } = startTree(inspector);
    root.send({ type: 'PING' });
    await until(() => pingSeen(early, root.sessionId), 'the PING snapshot');

    const late = await connect(inspector.url);
    await until(() => late.messages.length === early.messages.length, 'the replay');
    expect(late.messages).toEqual(early.messages);
    expect(Object.keys(parents(late.messages)).sort()).toEqual(['a', 'b', 'gc', 'root']);
  });

  it('keeps replaying the registrations of live actors after dropping them', async () => {
    const inspector = await open({ maxBufferedEvents: 2 });
    const early = await connect(inspector.url);
    const { root, a } = startTree(inspector);
    root.send({ type: 'PING' });
    await until(() => pingSeen(early, root.sessionId), 'the PING snapshot');

    const late = await connect(inspector.url);
    await until(() => late.messages.length === 6, 'four registrations and two events');
    expect(parents(late.messages.slice(0, 4))).toEqual({
      root: undefined,
      a: root.sessionId,
      b: root.sessionId,
      gc: a.sessionId,
    });
    expect(late.messages.slice(4)).toEqual(early.messages.slice(-2));
  });

  it('stops replaying an actor once it has stopped', async () => {
    const inspector = await open({ maxBufferedEvents: 0 });
    const early = await connect(inspector.url);
    const { root } = startTree(inspector);
    root.stop();
    const stopped = () =>
      (early.messages as StatelyInspectionEvent[]).filter(
        (e) => e.type === '@xstate.snapshot' && e.snapshot.status === 'stopped',
      ).length;
    await until(() => stopped() === 4, 'four stopped snapshots');

    const late = await connect(inspector.url);
    // A replay is sent before anything else: once the marker arrives, there was none.
    early.socket.send(JSON.stringify({ type: 'marker' }));
    await until(() => late.messages.length > 0, 'the marker');
    expect(late.messages).toEqual([{ type: 'marker' }]);
  });

  it('relays a message from one client to the others, and replays it', async () => {
    const inspector = await open();
    const sender = await connect(inspector.url);
    const other = await connect(inspector.url);
    sender.socket.send(JSON.stringify({ type: 'hello', n: 1 }));
    await until(() => other.messages.length === 1, 'the relayed message');
    expect(other.messages).toEqual([{ type: 'hello', n: 1 }]);
    const late = await connect(inspector.url);
    await until(() => late.messages.length === 1, 'the replayed message');
    expect(late.messages).toEqual([{ type: 'hello', n: 1 }]);
    expect(sender.messages).toEqual([]);
  });

  it('closes every client and the server on close(), idempotently', async () => {
    const inspector = await open();
    const client = await connect(inspector.url);
    const receiver: StatelyInspectionEvent[] = [];
    createWebSocketReceiver({ server: inspector.url }).subscribe((e) => {
      receiver.push(e);
    });
    await until(() => inspector.clients() === 2, 'two clients');

    const closing = inspector.close();
    expect(inspector.close()).toBe(closing);
    await closing;
    expect(inspector.clients()).toBe(0);
    await until(() => client.closeCode !== undefined, 'the client to see the close');
    expect(client.closeCode).toBe(1001);
    expect(client.socket.readyState).toBe(client.socket.CLOSED);
    await expect(connect(inspector.url)).rejects.toThrow(/ECONNREFUSED/);
    await expect(fetch(inspector.viewerUrl)).rejects.toThrow();
    // Events after close are dropped, not thrown.
    const root = createActor(treeMachine, { inspect: inspector.inspect }).start();
    root.stop();
    await inspector.close();
  });

  it.each([
    ['0.0.0.0'],
    ['::'],
    ['192.168.1.10'],
    ['example.com'],
  ])('refuses to bind the non-loopback host %s', async (host) => {
    const attempt = exposeInspector({ host: host as never });
    await expect(attempt).rejects.toThrow(InvalidOptionsError);
    await expect(exposeInspector({ host: host as never })).rejects.toThrow(
      /Invalid inspector option `host`: expected a loopback host .*, got `"[^"]+"` \(string\)/,
    );
  });

  it.each([
    [{ port: -1 }, 'port'],
    [{ port: 70_000 }, 'port'],
    [{ maxBufferedEvents: -5 }, 'maxBufferedEvents'],
    [{ inspectorUrl: 'not a url' }, 'inspectorUrl'],
    [{ inspectorUrl: 'ftp://example.com/inspect' }, 'inspectorUrl'],
    [{ inspectorUrl: 42 }, 'inspectorUrl'],
    [{ logger: { debug() {} } }, 'logger'],
    [{ hots: '127.0.0.1' }, 'hots'],
  ])('rejects the invalid option %j naming it', async (options, name) => {
    await expect(exposeInspector(options as never)).rejects.toThrow(
      `Invalid inspector option \`${name}\``,
    );
  });

  it('rejects with the listen error when the port is taken', async () => {
    const first = await open();
    const port = Number(new URL(first.url).port);
    await expect(exposeInspector({ port })).rejects.toThrow(/EADDRINUSE/);
  });

  it('logs to the injected logger', async () => {
    const logger = { debug: vi.fn(), warn: vi.fn() };
    const inspector = await open({ logger });
    expect(logger.debug).toHaveBeenCalledWith(
      { url: inspector.url, viewerUrl: inspector.viewerUrl },
      'inspector listening',
    );
    await inspector.close();
    expect(logger.debug).toHaveBeenCalledWith({ url: inspector.url }, 'inspector closed');
    expect(logger.warn).not.toHaveBeenCalled();
  });

  it('binds localhost as 127.0.0.1', async () => {
    const inspector = await open({ host: 'localhost' });
    expect(inspector.url).toMatch(/^ws:\/\/127\.0\.0\.1:\d+$/);
    await connect(inspector.url);
  });

  it.skipIf(!hasIpv6Loopback())('binds ::1 when asked', async () => {
    const inspector = await open({ host: '::1' });
    expect(inspector.url).toMatch(/^ws:\/\/\[::1\]:\d+$/);
    await connect(inspector.url);
    await expect(connect(inspector.url.replace('[::1]', '127.0.0.1'))).rejects.toThrow();
  });

  it('refuses WebSocket connections from other sites, accepts its own viewer page', async () => {
    const inspector = await open();
    await expect(connect(inspector.url, { origin: 'https://evil.example' })).rejects.toThrow(
      'HTTP 401',
    );
    const own = new URL(inspector.viewerUrl).origin;
    await connect(inspector.url, { origin: own });
    await until(() => inspector.clients() === 1, 'the viewer page to connect');
  });

  it('serves a viewer page that bridges the stream into the Stately UI', async () => {
    const inspector = await open();
    const page = await fetch(inspector.viewerUrl);
    expect(page.status).toBe(200);
    expect(page.headers.get('content-type')).toMatch(/^text\/html/);
    const html = await page.text();
    expect(html).toContain(JSON.stringify(inspector.url));
    expect(html).toContain('https://stately.ai/inspect');
    expect((await fetch(new URL('/other', inspector.viewerUrl))).status).toBe(404);
  });

  it('says on the page that the UI comes from stately.ai and needs the internet, and what to do offline', async () => {
    const inspector = await open();
    const html = await (await fetch(inspector.viewerUrl)).text();
    const config = pageConfig(html);
    expect(config).toMatchObject({
      inspectorUrl: 'https://stately.ai/inspect',
      uiOrigin: 'https://stately.ai',
      needs: ': it needs stately.ai to be reachable (internet access).',
      buffered: 0,
      dropped: 0,
    });
    expect(html).toContain('The inspector UI is loaded from');
    expect(html).toContain('The runtime and this event stream are local and need no network.');
    expect(html).toContain('Events received: <strong id="event-count">0</strong>');
    expect(html).toContain('<a id="events-link" href="/events.json">/events.json</a>');
    // The page itself loads nothing from the internet but the framed UI.
    expect(html.match(/https?:\/\/[^"'\s<]+/g)).toEqual([
      'https://stately.ai/inspect',
      'https://stately.ai',
    ]);
  });

  it("runs the page's script: it counts events, and says when the UI did not load", async () => {
    const inspector = await open();
    const html = await (await fetch(inspector.viewerUrl)).text();
    const page = fakePage();
    // The elements with the text they start with.
    for (const [, id, text] of html.matchAll(/id="([^"]+)"[^>]*>([^<]*)</g)) {
      page.globals.document.getElementById(id!).textContent = text!;
    }
    vi.useFakeTimers();
    try {
      runInNewContext(/<script>([\s\S]*)<\/script>/.exec(html)![1]!, page.globals);
      expect(page.elements.inspector!.src).toBe('https://stately.ai/inspect');
      expect(page.socket.url).toBe(inspector.url);
      expect(page.elements['dropped-count']!.textContent).toBe('0');
      page.socket.onmessage!({ data: JSON.stringify({ type: '@xstate.event' }) });
      page.socket.onmessage!({ data: JSON.stringify({ type: '@xstate.snapshot' }) });
      expect(page.elements['event-count']!.textContent).toBe('2');
      expect(page.elements['ui-state']!.textContent).toMatch(/^Waiting/);
      vi.advanceTimersByTime(10_000);
      expect(page.elements['ui-state']!.textContent).toMatch(
        /has not loaded after 10 s: no internet access/,
      );
      // Once the UI says it is there, what arrived before is handed over, to its origin only.
      page.message({ origin: 'https://evil.example', data: { type: '@statelyai.connected' } });
      expect(page.posted).toEqual([]);
      page.message({ origin: 'https://stately.ai', data: { type: '@statelyai.connected' } });
      expect(page.posted).toEqual([
        [{ type: '@xstate.event' }, 'https://stately.ai'],
        [{ type: '@xstate.snapshot' }, 'https://stately.ai'],
      ]);
      expect(page.elements['ui-state']!.textContent).toBe('The inspector UI is connected.');
    } finally {
      vi.useRealTimers();
    }
  });

  it('frames a self-hosted inspector UI given as inspectorUrl', async () => {
    const inspector = await open({ inspectorUrl: 'http://127.0.0.1:3999/inspect/' });
    const config = pageConfig(await (await fetch(inspector.viewerUrl)).text());
    expect(config).toMatchObject({
      inspectorUrl: 'http://127.0.0.1:3999/inspect/',
      uiOrigin: 'http://127.0.0.1:3999',
      needs: '.',
    });
  });

  it('names inspectorUrl and the value when it is not an http(s) URL', async () => {
    await expect(exposeInspector({ inspectorUrl: 'stately.ai/inspect' })).rejects.toThrow(
      /Invalid inspector option `inspectorUrl`: expected an http\(s\) URL of the inspector UI, got `"stately.ai\/inspect"` \(string\)/,
    );
  });

  it('serves the buffered events as JSON, counting those dropped from the bounded buffer', async () => {
    const inspector = await open({ maxBufferedEvents: 3 });
    const sender = await connect(inspector.url);
    for (let n = 1; n <= 5; n++) sender.socket.send(JSON.stringify({ type: 'hello', n }));
    sender.socket.send('not json');
    await until(() => inspector.bufferStats().dropped === 3, 'three dropped');
    expect(inspector.bufferStats()).toEqual({ buffered: 3, capacity: 3, dropped: 3 });

    const response = await fetch(new URL('/events.json', inspector.viewerUrl));
    expect(response.headers.get('content-type')).toMatch(/^application\/json/);
    expect(await response.json()).toEqual({
      buffered: 3,
      capacity: 3,
      dropped: 3,
      events: [{ type: 'hello', n: 4 }, { type: 'hello', n: 5 }, 'not json'],
    });
    const config = pageConfig(await (await fetch(inspector.viewerUrl)).text());
    expect(config).toMatchObject({ buffered: 3, dropped: 3 });
  });

  it('keeps the default buffer at 10,000 events, dropping the oldest', async () => {
    const inspector = await open();
    const root = createActor(treeMachine, { inspect: inspector.inspect }).start();
    started.push(root);
    for (let i = 0; i < 6_000; i++) root.send({ type: 'PING' });
    await until(() => inspector.bufferStats().dropped > 0, 'the buffer to overflow');
    const stats = inspector.bufferStats();
    expect(stats.buffered).toBe(10_000);
    expect(stats.capacity).toBe(10_000);
    expect(stats.buffered + stats.dropped).toBeGreaterThan(10_000);
  });

  it('refuses HTTP requests for another Host (DNS rebinding)', async () => {
    const inspector = await open();
    const { port } = new URL(inspector.viewerUrl);
    for (const path of ['/', '/events.json']) {
      expect(await statusWithHost(Number(port), path, `evil.example:${port}`)).toBe(403);
      expect(await statusWithHost(Number(port), path, `localhost:${port}`)).toBe(200);
    }
  });
});

interface FakeElement {
  textContent: string;
  href: string;
  src: string;
  className: string;
  contentWindow: { postMessage(event: unknown, origin: string): void };
}

/** Just enough of a browser for the viewer page's script. */
function fakePage() {
  const elements: Record<string, FakeElement> = {};
  const posted: Array<[unknown, string]> = [];
  const listeners: Array<(e: unknown) => void> = [];
  const socket: {
    url?: string;
    onmessage?: (m: { data: string }) => void;
    onclose?: () => void;
  } = {};
  const globals = {
    document: {
      getElementById: (id: string) => {
        elements[id] ??= {
          textContent: '',
          href: '',
          src: '',
          className: '',
          contentWindow: { postMessage: (event, origin) => posted.push([event, origin]) },
        };
        return elements[id];
      },
    },
    window: { addEventListener: (_type: string, fn: (e: unknown) => void) => listeners.push(fn) },
    WebSocket: function WebSocket(this: unknown, url: string) {
      socket.url = url;
      return socket;
    },
    // Looked up when called, so fake timers apply.
    setTimeout: (fn: () => void, ms: number) => setTimeout(fn, ms),
    JSON,
    String,
  };
  return {
    globals,
    elements,
    posted,
    socket,
    message: (e: unknown) => {
      for (const fn of listeners) fn(e);
    },
  };
}

/** The JSON config the viewer page's script starts from. */
function pageConfig(html: string): Record<string, unknown> {
  const json = /const config = (\{.*\});/.exec(html)?.[1];
  expect(json).toBeDefined();
  return JSON.parse(json!);
}

function statusWithHost(port: number, path: string, host: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = httpRequest({ host: '127.0.0.1', port, path, headers: { host } }, (res) => {
      res.resume();
      resolve(res.statusCode ?? 0);
    });
    req.on('error', reject);
    req.end();
  });
}

function pingSeen(client: RawClient, rootSessionId: string): boolean {
  return (client.messages as StatelyInspectionEvent[]).some(
    (e) =>
      e.type === '@xstate.snapshot' && e.sessionId === rootSessionId && e.event.type === 'PING',
  );
}

function hasIpv6Loopback(): boolean {
  return Object.values(networkInterfaces()).some((addresses) =>
    addresses?.some((address) => address.address === '::1'),
  );
}
