import { networkInterfaces } from 'node:os';
import type { StatelyActorEvent, StatelyInspectionEvent } from '@statelyai/inspect';
import { createWebSocketReceiver } from '@statelyai/inspect';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { createActor } from 'xstate';
import { InvalidOptionsError } from '../../src/errors/invalid-options-error.js';
import {
  type ExposedInspector,
  type ExposeInspectorOptions,
  exposeInspector,
} from '../../src/inspection/index.js';
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
});

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
