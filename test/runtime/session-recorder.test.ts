import { Subject } from 'rxjs';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createLogger } from '../../src/core/logging/create-logger.js';
import { SessionClosedError } from '../../src/machines/session/errors/session-closed-error.js';
import type { Session, SessionLifecycleEvent } from '../../src/machines/session/session.js';
import type { CliMessage } from '../../src/protocol/cli-message.js';
import { createRuntime, type Runtime } from '../../src/runtime/create-runtime.js';
import { SessionRecorder } from '../../src/runtime/session-recorder.js';
import { createMemoryStore } from '../../src/store/create-memory-store.js';
import { StoreError } from '../../src/store/errors/store-error.js';
import type { SessionStore } from '../../src/store/sessions/session-store.js';
import type { Store } from '../../src/store/store.js';
import { scriptedSpawn } from '../helpers/scripted-spawn.js';
import { settle } from '../orchestration/patterns/harness.js';

beforeEach(() => vi.useFakeTimers({ now: Date.UTC(2026, 11, 3, 12) }));
afterEach(() => vi.useRealTimers());

async function stop(runtime: Runtime): Promise<void> {
  const stopped = runtime.stop({ deadlineMs: 0 });
  await vi.runAllTimersAsync();
  await stopped;
}

describe('a runtime with a store', () => {
  function runtimeWith(store: Store, reply: Parameters<typeof scriptedSpawn>[0]): Runtime {
    const { spawn } = scriptedSpawn(reply);
    return createRuntime({
      defaults: {
        executable: process.execPath,
        model: 'sonnet',
        retry: { maxAttempts: 3, initialDelayMs: 100, jitter: 0 },
      },
      processes: { spawn },
      store,
    });
  }

  it('records each query under its CLI session id, with tags, cost, tokens and status', async () => {
    const store = createMemoryStore();
    const runtime = runtimeWith(store, () => ({ costUsd: 0.25 }));
    const result = await settle(
      runtime.query('Summarise the CHANGELOG', {}, { tags: ['docs'], queryId: 'q1' }).result,
    );
    await stop(runtime);
    expect(result.sessionId).toBeDefined();
    const record = await runtime.sessions.get(result.sessionId!);
    expect(record).toEqual({
      id: result.sessionId,
      kind: 'query',
      key: 'q1',
      tags: ['docs'],
      model: 'fake',
      cwd: undefined,
      createdAt: Date.UTC(2026, 11, 3, 12),
      updatedAt: expect.any(Number),
      turns: 1,
      costUsd: 0.25,
      tokens: {
        inputTokens: 10,
        outputTokens: 5,
        cacheReadInputTokens: 0,
        cacheCreationInputTokens: 0,
      },
      status: 'succeeded',
      firstPrompt: 'Summarise the CHANGELOG',
      errorCode: undefined,
    });
    expect(await runtime.sessions.list({ tag: 'docs' })).toMatchObject({ total: 1 });
  });

  it('keeps one record per query across retries: the last session id, every attempt paid', async () => {
    const store = createMemoryStore();
    const runtime = runtimeWith(store, (_prompt, call) =>
      call === 0 ? { apiErrorStatus: 529, costUsd: 0.1 } : { costUsd: 0.25 },
    );
    const result = await settle(runtime.query('retried').result);
    await stop(runtime);
    expect(result.attempts).toBe(2);
    const { sessions, total } = await store.sessions.list();
    expect(total).toBe(1);
    expect(sessions[0]).toMatchObject({ id: result.sessionId, status: 'succeeded' });
    expect(sessions[0]?.costUsd).toBeCloseTo(0.35, 9);
    expect(sessions[0]?.tokens.inputTokens).toBe(20);
  });

  it('records a failed query with its error code', async () => {
    const store = createMemoryStore();
    const runtime = runtimeWith(store, () => ({ apiErrorStatus: 400 }));
    const result = await settle(runtime.query('bad request').result);
    await stop(runtime);
    expect(result.status).toBe('failed');
    expect(await store.sessions.get(result.sessionId!)).toMatchObject({
      status: 'failed',
      errorCode: result.error?.code,
    });
    expect(result.error?.code).toBeTruthy();
  });

  it('logs a store that fails and answers the query all the same', async () => {
    const store = createMemoryStore();
    const failing: SessionStore = {
      ...store.sessions,
      put: async () => {
        throw new Error('disk full');
      },
    };
    const lines: string[] = [];
    const logger = createLogger({ level: 'error' }, { write: (l: string) => lines.push(l) });
    const { spawn } = scriptedSpawn(() => ({}));
    const runtime = createRuntime({
      defaults: { executable: process.execPath },
      processes: { spawn },
      store: { ...store, sessions: failing },
      logger,
    });
    const result = await settle(runtime.query('still answered').result);
    await stop(runtime);
    expect(result.status).toBe('succeeded');
    expect(lines.join('')).toMatch(/disk full.*the session store failed to record a session/);
  });

  it('has runtime.sessions reject with STORE_MISSING when it has no store', async () => {
    const runtime = createRuntime({ defaults: { executable: process.execPath } });
    await expect(runtime.sessions.list()).rejects.toThrow(StoreError);
    await expect(runtime.sessions.get('x')).rejects.toMatchObject({ code: 'STORE_MISSING' });
    await expect(runtime.sessions.cleanup({ olderThan: 0 })).rejects.toThrow(/without a store/);
    await stop(runtime);
  });
});

/** A session as the recorder sees one: its streams, and `send`. */
function fakeSession() {
  const messages = new Subject<CliMessage>();
  const lifecycle = new Subject<SessionLifecycleEvent>();
  const sent: unknown[] = [];
  const session = {
    key: 'session-key',
    messages$: messages.asObservable(),
    lifecycle$: lifecycle.asObservable(),
    send: (prompt: unknown) => {
      sent.push(prompt);
      return {} as never;
    },
  } as unknown as Session;
  return { session, messages, lifecycle, sent };
}

const init = (sessionId: string): CliMessage =>
  ({ type: 'system', subtype: 'init', session_id: sessionId, model: 'opus', cwd: '/w' }) as never;
const result = (input: number, cost: number): CliMessage =>
  ({
    type: 'result',
    subtype: 'success',
    is_error: false,
    total_cost_usd: cost,
    usage: { input_tokens: input, output_tokens: 1 },
  }) as never;

describe('SessionRecorder for multi-turn sessions', () => {
  it('records the first prompt, each turn (turns, cost, tokens) and how the session closed', async () => {
    const store = createMemoryStore();
    const recorder = new SessionRecorder(store.sessions);
    const fake = fakeSession();
    const session = recorder.session(fake.session, 'sonnet');
    session.send([{ type: 'text', text: 'Plan the release' }] as never);
    session.send('second turn');
    expect(fake.sent).toHaveLength(2);
    fake.messages.next(init('cli-1'));
    fake.lifecycle.next({ type: 'session.id_assigned', sessionId: 'cli-1' });
    await recorder.idle();
    expect(await store.sessions.get('cli-1')).toMatchObject({
      kind: 'session',
      key: 'session-key',
      model: 'opus',
      cwd: '/w',
      status: 'running',
      turns: 0,
      firstPrompt: 'Plan the release',
    });
    for (const [n, cost] of [
      [100, 0.1],
      [50, 0.3],
    ] as const) {
      fake.messages.next(result(n, cost));
      fake.lifecycle.next({
        type: 'turn.completed',
        turnId: `t${n}`,
        interrupted: false,
        turnCostUsd: cost,
        totalCostUsd: cost,
      });
    }
    vi.setSystemTime(Date.UTC(2026, 11, 3, 13));
    fake.lifecycle.next({
      type: 'session.closed',
      output: {
        status: 'closed',
        reason: 'closed',
        sessionId: 'cli-1',
        totalCostUsd: 0.3,
        turns: 2,
      },
    });
    await recorder.idle();
    expect(await store.sessions.get('cli-1')).toMatchObject({
      status: 'closed',
      turns: 2,
      costUsd: 0.3,
      tokens: { inputTokens: 150, outputTokens: 2 },
      createdAt: Date.UTC(2026, 11, 3, 12),
      updatedAt: Date.UTC(2026, 11, 3, 13),
    });
  });

  it('records a failed session with its error code', async () => {
    const store = createMemoryStore();
    const recorder = new SessionRecorder(store.sessions);
    const fake = fakeSession();
    recorder.session(fake.session, undefined);
    fake.lifecycle.next({ type: 'session.id_assigned', sessionId: 'cli-2' });
    const error = new SessionClosedError('send', 'the CLI died', { sessionKey: 'session-key' });
    fake.lifecycle.next({
      type: 'session.closed',
      output: { status: 'failed', error, sessionId: 'cli-2', totalCostUsd: 0, turns: 0 },
    });
    await recorder.idle();
    expect(await store.sessions.get('cli-2')).toMatchObject({
      status: 'failed',
      errorCode: error.code,
      model: undefined,
    });
  });

  it('continues the record of a session it resumes: turns, cost and tokens add up', async () => {
    const store = createMemoryStore();
    await store.sessions.put({
      id: 'cli-9',
      kind: 'session',
      key: 'earlier-key',
      tags: ['nightly'],
      model: 'opus',
      cwd: '/w',
      createdAt: Date.UTC(2026, 11, 1),
      updatedAt: Date.UTC(2026, 11, 1),
      turns: 3,
      costUsd: 1,
      tokens: {
        inputTokens: 7,
        outputTokens: 7,
        cacheReadInputTokens: 0,
        cacheCreationInputTokens: 0,
      },
      status: 'closed',
      firstPrompt: 'the original question',
      errorCode: undefined,
    });
    const recorder = new SessionRecorder(store.sessions);
    const fake = fakeSession();
    recorder.session(fake.session, 'opus').send('and one more thing');
    fake.messages.next(init('cli-9'));
    fake.messages.next(result(10, 0.5));
    fake.lifecycle.next({
      type: 'turn.completed',
      turnId: 't1',
      interrupted: false,
      turnCostUsd: 0.5,
      totalCostUsd: 0.5,
    });
    await recorder.idle();
    expect(await store.sessions.get('cli-9')).toMatchObject({
      key: 'session-key',
      tags: ['nightly'],
      createdAt: Date.UTC(2026, 11, 1),
      updatedAt: Date.UTC(2026, 11, 3, 12),
      firstPrompt: 'the original question',
      turns: 4,
      costUsd: 1.5,
      tokens: { inputTokens: 17, outputTokens: 8 },
      status: 'running',
    });
  });

  it('records nothing before the CLI names the session', async () => {
    const store = createMemoryStore();
    const recorder = new SessionRecorder(store.sessions);
    const fake = fakeSession();
    recorder.session(fake.session, 'sonnet').send('hello');
    await recorder.idle();
    expect((await store.sessions.list()).total).toBe(0);
  });
});

describe('SessionRecorder.idle', () => {
  it('waits for writes asked for while it waits, until the queue stops growing', async () => {
    const store = createMemoryStore();
    const gates: (() => void)[] = [];
    const gated: SessionStore = {
      ...store.sessions,
      put: async (record) => {
        await new Promise<void>((resolve) => gates.push(resolve));
        return store.sessions.put(record);
      },
    };
    const recorder = new SessionRecorder(gated);
    const fake = fakeSession();
    recorder.session(fake.session, 'sonnet');
    fake.lifecycle.next({ type: 'session.id_assigned', sessionId: 'cli-3' });
    let done = false;
    const idle = recorder.idle().then(() => {
      done = true;
    });
    fake.messages.next(result(10, 0.2));
    fake.lifecycle.next({
      type: 'turn.completed',
      turnId: 't1',
      interrupted: false,
      turnCostUsd: 0.2,
      totalCostUsd: 0.2,
    });
    for (let i = 0; i < 20 && gates.length === 0; i++) await Promise.resolve();
    gates.shift()?.();
    for (let i = 0; i < 20; i++) await Promise.resolve();
    expect(done).toBe(false);
    for (let i = 0; i < 20 && gates.length === 0; i++) await Promise.resolve();
    gates.shift()?.();
    await idle;
    expect(await store.sessions.get('cli-3')).toMatchObject({ turns: 1, costUsd: 0.2 });
  });
});
