import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { fromPromise } from 'xstate';
import type { ControlHandlerOutput } from '../../../src/machines/control/control-handler-types.js';
import { INITIALIZE_REQUEST_ID } from '../../../src/machines/control/initialize-request-id.js';
import { sessionHarness } from './session-harness.js';

beforeEach(() => {
  vi.useFakeTimers();
});
afterEach(() => {
  vi.useRealTimers();
});

const ready = (h: ReturnType<typeof sessionHarness>): void => h.respond(INITIALIZE_REQUEST_ID);
/** Settled control requests of the caller (the session's own `initialize` left out). */
const settled = (h: ReturnType<typeof sessionHarness>) =>
  h.of('control.settled').filter((e) => e.requestId !== INITIALIZE_REQUEST_ID);

describe('sessionMachine', () => {
  it('starts with an initialize request and becomes ready on its answer', () => {
    const h = sessionHarness({ hooks: { PreToolUse: [{ matcher: 'Bash', hooks: [() => ({})] }] } });
    expect(h.actor.getSnapshot().value).toBe('starting');
    expect(h.written[0]).toEqual({
      type: 'control_request',
      request_id: INITIALIZE_REQUEST_ID,
      request: {
        subtype: 'initialize',
        hooks: { PreToolUse: [{ matcher: 'Bash', hookCallbackIds: ['hook_PreToolUse_0_0'] }] },
      },
    });
    h.respond(INITIALIZE_REQUEST_ID, { models: [] });
    expect(h.actor.getSnapshot().value).toBe('ready');
    expect(h.of('session.ready')).toEqual([{ type: 'session.ready', response: { models: [] } }]);
  });

  it('sends the options only initialize carries, and marks every turn client_composed with verbatimPrompts', () => {
    const h = sessionHarness({
      toolAliases: { Bash: 'mcp__box__bash' },
      perTaskStopAffordance: true,
      verbatimPrompts: true,
    });
    expect(h.written[0]).toMatchObject({
      request: {
        subtype: 'initialize',
        toolAliases: { Bash: 'mcp__box__bash' },
        perTaskStopAffordance: true,
      },
    });
    ready(h);
    h.send('t1', '@notes.md /compact');
    expect(h.written[1]).toMatchObject({ type: 'user', client_composed: true });
  });

  it('writes nothing for a user dialog its callback leaves unanswered, and the answer of one it answers', async () => {
    let answer: { behavior: 'cancelled' } | null = null;
    const h = sessionHarness({ onUserDialog: () => answer });
    ready(h);
    const dialog = (id: string) =>
      h.cli({
        type: 'control_request',
        request_id: id,
        request: { subtype: 'request_user_dialog', dialog_kind: 'k', payload: {} },
      });
    dialog('d1');
    await vi.advanceTimersByTimeAsync(0);
    expect(h.written).toHaveLength(1);
    answer = { behavior: 'cancelled' };
    dialog('d2');
    await vi.advanceTimersByTimeAsync(0);
    expect(h.written[1]).toMatchObject({
      response: { subtype: 'success', request_id: 'd2', response: { behavior: 'cancelled' } },
    });
  });

  it('queues turns and writes the next user message only after the previous result', () => {
    const h = sessionHarness();
    h.send('t1', 'one');
    h.send('t2', 'two');
    expect(h.userLines()).toEqual([]);
    ready(h);
    expect(h.userLines()).toEqual(['one']);
    h.send('t3', 'three');
    h.cli({ type: 'system', subtype: 'init', session_id: 'sess-1' });
    h.cli({ type: 'assistant', message: { role: 'assistant', content: 'first' } });
    expect(h.userLines()).toEqual(['one']);
    h.result('first', 0.01);
    expect(h.userLines()).toEqual(['one', 'two']);
    h.result('second', 0.03);
    h.result('third', 0.06);
    expect(h.userLines()).toEqual(['one', 'two', 'three']);
    expect(h.actor.getSnapshot().value).toBe('ready');
    const messages = h.of('session.message').map((e) => [e.turnId, e.message.type]);
    expect(messages).toEqual([
      ['t1', 'system'],
      ['t1', 'assistant'],
      ['t1', 'result'],
      ['t2', 'result'],
      ['t3', 'result'],
    ]);
    expect(h.of('session.id_assigned')).toEqual([
      { type: 'session.id_assigned', sessionId: 'sess-1' },
    ]);
  });

  it('splits the CLI cumulative total_cost_usd into the cost of each turn', () => {
    const h = sessionHarness();
    ready(h);
    h.send('t1', 'one');
    h.result('a', 0.01);
    h.send('t2', 'two');
    h.result('b', 0.025);
    const costs = h.of('turn.completed').map((e) => [e.turnCostUsd, e.totalCostUsd]);
    expect(costs[0]).toEqual([0.01, 0.01]);
    expect(costs[1]?.[0]).toBeCloseTo(0.015, 10);
    expect(costs[1]?.[1]).toBe(0.025);
  });

  it('matches control responses to their requests by request_id, in any order', () => {
    const h = sessionHarness();
    ready(h);
    h.control('req_1', { subtype: 'set_model', model: 'haiku' });
    h.control('req_2', { subtype: 'set_permission_mode', mode: 'plan' });
    h.control('req_3', { subtype: 'bogus' });
    h.respond('req_2', { mode: 'plan' });
    h.cli({
      type: 'control_response',
      response: {
        subtype: 'error',
        request_id: 'req_3',
        error: 'Unsupported control request subtype: bogus',
        error_code: 'unsupported_request',
      },
    });
    h.respond('req_1', { model: 'haiku' });
    h.respond('req_1', { model: 'late duplicate' });
    const answers = settled(h);
    expect(answers.map((e) => e.requestId)).toEqual(['req_2', 'req_3', 'req_1']);
    expect(answers[0]?.response).toEqual({ mode: 'plan' });
    expect(answers[1]?.error).toMatchObject({
      code: 'CONTROL_REQUEST_FAILED',
      subtype: 'bogus',
      errorCode: 'unsupported_request',
    });
    expect(answers[2]?.response).toEqual({ model: 'haiku' });
  });

  it('times out a control request that gets no answer, and ignores a late answer', () => {
    const h = sessionHarness({ controlTimeoutMs: 1_000 });
    ready(h);
    h.control('req_1', { subtype: 'interrupt' });
    vi.advanceTimersByTime(999);
    expect(settled(h)).toEqual([]);
    vi.advanceTimersByTime(1);
    expect(settled(h)[0]?.error).toMatchObject({
      code: 'CONTROL_TIMEOUT',
      subtype: 'interrupt',
      timeoutMs: 1_000,
    });
    h.respond('req_1');
    expect(settled(h)).toHaveLength(1);
  });

  it('fails when the CLI never answers initialize', () => {
    const h = sessionHarness({ controlTimeoutMs: 500 });
    h.send('t1', 'one');
    vi.advanceTimersByTime(500);
    const snapshot = h.actor.getSnapshot();
    expect(snapshot.value).toBe('failed');
    expect(snapshot.output).toMatchObject({
      status: 'failed',
      error: { code: 'CONTROL_TIMEOUT', subtype: 'initialize' },
    });
    expect(h.of('turn.failed')[0]).toMatchObject({ turnId: 't1' });
  });

  it('marks an interrupted turn and completes it with its error result', () => {
    const h = sessionHarness();
    ready(h);
    h.send('t1', 'long');
    h.control('req_1', { subtype: 'interrupt' });
    expect(h.actor.getSnapshot().value).toEqual({ responding: 'interrupted' });
    h.respond('req_1', { still_queued: [] });
    h.cli({
      type: 'result',
      subtype: 'error_during_execution',
      is_error: true,
      total_cost_usd: 0.001,
    });
    expect(h.of('turn.completed')[0]).toMatchObject({ turnId: 't1', interrupted: true });
    expect(h.actor.getSnapshot().value).toBe('ready');
  });

  it('fails every waiting turn and control request when the CLI dies mid-turn', () => {
    const h = sessionHarness();
    ready(h);
    h.send('t1', 'one');
    h.send('t2', 'two');
    h.control('req_1', { subtype: 'set_model' });
    h.exit('SIGKILL');
    const snapshot = h.actor.getSnapshot();
    expect(snapshot.value).toBe('failed');
    expect(snapshot.status).toBe('done');
    expect(snapshot.output).toMatchObject({
      status: 'failed',
      error: { code: 'PROCESS_EXITED', signal: 'SIGKILL', retryable: true },
    });
    expect(h.of('turn.failed').map((e) => [e.turnId, e.error.code])).toEqual([
      ['t1', 'PROCESS_EXITED'],
      ['t2', 'PROCESS_EXITED'],
    ]);
    expect(settled(h)[0]?.error).toMatchObject({ code: 'SESSION_CLOSED' });
  });

  it('closes after the queued turns: stdin closed, then closed on exit', () => {
    const h = sessionHarness();
    ready(h);
    h.send('t1', 'one');
    h.send('t2', 'two');
    h.actor.send({ type: 'CLOSE' });
    h.result('a', 0.01);
    expect(h.commands).not.toContain('CLOSE_INPUT');
    h.result('b', 0.02);
    expect(h.commands.at(-1)).toBe('CLOSE_INPUT');
    expect(h.actor.getSnapshot().value).toBe('closing');
    h.send('t3', 'too late');
    expect(h.of('turn.failed')).toMatchObject([
      { turnId: 't3', error: { code: 'SESSION_CLOSED' } },
    ]);
    h.exit();
    expect(h.actor.getSnapshot().output).toEqual({
      status: 'closed',
      reason: 'closed',
      sessionId: 'sess-1',
      totalCostUsd: 0.02,
      turns: 2,
    });
  });

  it('kills a CLI that does not exit within closeTimeoutMs of closing', () => {
    const h = sessionHarness({ closeTimeoutMs: 2_000 });
    ready(h);
    h.actor.send({ type: 'CLOSE' });
    vi.advanceTimersByTime(2_000);
    expect(h.commands.slice(-2)).toEqual(['CLOSE_INPUT', 'KILL']);
  });

  it('kills the CLI at once on KILL, failing the running turn with SESSION_CLOSED', () => {
    const h = sessionHarness();
    ready(h);
    h.send('t1', 'one');
    h.actor.send({ type: 'KILL' });
    expect(h.commands.at(-1)).toBe('CLOSE_INPUT');
    expect(h.commands).toContain('KILL');
    h.exit('SIGKILL');
    expect(h.of('turn.failed')).toMatchObject([
      { turnId: 't1', error: { code: 'SESSION_CLOSED' } },
    ]);
    expect(h.actor.getSnapshot().output).toMatchObject({ status: 'closed', reason: 'killed' });
  });

  it('on a supervisor shutdown, drops queued turns and finishes the running one', () => {
    const h = sessionHarness();
    ready(h);
    h.send('t1', 'one');
    h.send('t2', 'two');
    h.actor.send({ type: '@supervisor.shutdown' });
    expect(h.of('turn.failed')).toMatchObject([
      { turnId: 't2', error: { code: 'SESSION_CLOSED' } },
    ]);
    h.result('a', 0.01);
    expect(h.userLines()).toEqual(['one']);
    h.exit();
    expect(h.actor.getSnapshot().output).toMatchObject({ status: 'closed', reason: 'shutdown' });
  });

  it('answers control requests from the CLI, an unknown subtype with an error', async () => {
    const h = sessionHarness({ canUseTool: async () => ({ behavior: 'allow' }) });
    ready(h);
    h.cli({
      type: 'control_request',
      request_id: 'cli_1',
      request: { subtype: 'brand_new_request' },
    });
    h.cli({
      type: 'control_request',
      request_id: 'cli_2',
      request: { subtype: 'can_use_tool', tool_name: 'Bash', input: { command: 'ls' } },
    });
    await vi.advanceTimersByTimeAsync(0);
    const answers = h.written.filter((w) => w.type === 'control_response');
    expect(answers).toEqual([
      {
        type: 'control_response',
        response: {
          subtype: 'error',
          request_id: 'cli_1',
          error: 'Unsupported control request subtype: brand_new_request',
        },
      },
      {
        type: 'control_response',
        response: {
          subtype: 'success',
          request_id: 'cli_2',
          response: { behavior: 'allow', updatedInput: { command: 'ls' } },
        },
      },
    ]);
    expect(Object.keys(h.actor.getSnapshot().children)).toEqual(['process']);
  });

  it('answers a request whose handler crashed with an error, and reports a failed callback', async () => {
    const handler = fromPromise<ControlHandlerOutput, { request: { request_id: string } }>(
      async ({ input }) => {
        if (input.request.request_id === 'boom') throw new Error('handler crashed');
        return {
          requestId: input.request.request_id,
          ok: false,
          error: 'denied',
          failure: new Error('callback threw') as never,
        };
      },
    );
    const h = sessionHarness({}, handler);
    ready(h);
    h.cli({ type: 'control_request', request_id: 'boom', request: { subtype: 'x' } });
    h.cli({ type: 'control_request', request_id: 'c2', request: { subtype: 'x' } });
    await vi.advanceTimersByTimeAsync(0);
    expect(h.written.filter((w) => w.type === 'control_response')).toEqual([
      {
        type: 'control_response',
        response: { subtype: 'error', request_id: 'boom', error: 'handler crashed' },
      },
      {
        type: 'control_response',
        response: { subtype: 'error', request_id: 'c2', error: 'denied' },
      },
    ]);
    expect(h.of('session.callback_failed')).toHaveLength(1);
    expect(Object.keys(h.actor.getSnapshot().children)).toEqual(['process']);
  });

  it('stops the handler of a request the CLI cancels, aborting it, and answers nothing', async () => {
    let signal: AbortSignal | undefined;
    const hanging = fromPromise<ControlHandlerOutput>(({ signal: s }) => {
      signal = s;
      return new Promise(() => {});
    });
    const h = sessionHarness({}, hanging);
    ready(h);
    h.cli({
      type: 'control_request',
      request_id: 'cli_1',
      request: { subtype: 'can_use_tool', tool_name: 'Write', input: {} },
    });
    await vi.advanceTimersByTimeAsync(0);
    expect(Object.keys(h.actor.getSnapshot().children)).toContain('cli:cli_1');
    h.cli({ type: 'control_cancel_request', request_id: 'cli_1' });
    expect(signal?.aborted).toBe(true);
    expect(Object.keys(h.actor.getSnapshot().children)).toEqual(['process']);
    expect(h.written.filter((w) => w.type === 'control_response')).toEqual([]);
  });
});
