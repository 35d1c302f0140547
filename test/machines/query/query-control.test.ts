import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { type AnyEventObject, createActor, fromCallback } from 'xstate';
import { z } from 'zod';
import { parseQueryOptions } from '../../../src/machines/query/options/parse-options.js';
import type { QueryOptions } from '../../../src/machines/query/options/query-options.js';
import { queryMachine } from '../../../src/machines/query/query-machine.js';
import type {
  ProcessEvent,
  ProcessInput,
  QueryEvent,
  QueryResult,
} from '../../../src/machines/query/query-types.js';
import { createSdkMcpServer } from '../../../src/mcp/create-sdk-mcp-server.js';
import { tool } from '../../../src/mcp/sdk-tool.js';
import { cli, exited, init, result, spawned } from '../../helpers/scripted-process.js';

beforeEach(() => vi.useFakeTimers());
afterEach(() => vi.useRealTimers());

/**
 * A query machine whose CLI the test plays by hand: `play(event)` is a line (or the exit) of
 * the CLI, `written` every line the machine wrote to it, parsed; `inputs` each attempt's input.
 */
async function harness(options: QueryOptions) {
  const written: Record<string, unknown>[] = [];
  const commands: string[] = [];
  const inputs: ProcessInput[] = [];
  let sendBack: (event: ProcessEvent) => void = () => {};
  const claudeProcess = fromCallback<AnyEventObject, ProcessInput>(
    ({ input, sendBack: back, receive }) => {
      inputs.push(input);
      sendBack = back as typeof sendBack;
      receive((event) => {
        commands.push(event.type);
        if (event.type === 'WRITE')
          written.push(JSON.parse((event as unknown as { line: string }).line));
      });
    },
  );
  const actor = createActor(queryMachine.provide({ actors: { claudeProcess } }), {
    input: {
      queryId: 'q1',
      prompt: 'add 2 and 40',
      options: parseQueryOptions({ retry: { maxAttempts: 2, jitter: 0 }, ...options }),
      now: () => Date.now(),
    },
  });
  const events: QueryEvent[] = [];
  actor.on('*', (event) => events.push(event as QueryEvent));
  actor.start();
  // Admission (a promise) settles before the attempt's process starts.
  await vi.advanceTimersByTimeAsync(0);
  const play = (event: ProcessEvent): void => sendBack(event);
  const output = (): QueryResult => {
    const snapshot = actor.getSnapshot();
    if (snapshot.status !== 'done') throw new Error(`not done: ${JSON.stringify(snapshot.value)}`);
    return snapshot.output!;
  };
  return { actor, play, written, commands, inputs, events, output };
}

const request = (requestId: string, body: Record<string, unknown>): ProcessEvent => ({
  type: 'claude.message',
  message: cli({ type: 'control_request', request_id: requestId, request: body }),
});

const toolsCall = (requestId: string, name: string, args: Record<string, unknown>) =>
  request(requestId, {
    subtype: 'mcp_message',
    server_name: 'calc',
    message: { jsonrpc: '2.0', id: 7, method: 'tools/call', params: { name, arguments: args } },
  });

const calc = () =>
  createSdkMcpServer({
    name: 'calc',
    tools: [
      tool('add', 'Adds', z.object({ a: z.number(), b: z.number() }), ({ a, b }) => `${a + b}`),
      tool('explode', 'Fails', z.object({}), () => {
        throw new Error('kaboom');
      }),
      tool('hang', 'Never answers', z.object({}), (_args, { signal }) => {
        return new Promise((_resolve, reject) => {
          signal.addEventListener('abort', () => reject(new Error('aborted')));
        });
      }),
    ],
  });

describe('a query with tools defined in code', () => {
  it('sends initialize before its prompt, keeps stdin open, and serves its tools to the CLI', async () => {
    const { play, written, inputs, events, output } = await harness({ sdkMcpServers: [calc()] });
    expect(inputs[0]?.stdin).toBe('untilResult');
    expect(inputs[0]?.messages).toEqual([
      {
        type: 'control_request',
        request_id: 'init_0',
        request: { subtype: 'initialize', sdkMcpServers: ['calc'] },
      },
      expect.objectContaining({ type: 'user' }),
    ]);
    play(spawned());
    play({
      type: 'claude.message',
      message: cli({
        type: 'control_response',
        response: { subtype: 'success', request_id: 'init_0', response: {} },
      }),
    });
    play(init());
    play(toolsCall('r1', 'add', { a: 2, b: 40 }));
    await vi.advanceTimersByTimeAsync(0);
    expect(written).toEqual([
      {
        type: 'control_response',
        response: {
          subtype: 'success',
          request_id: 'r1',
          response: {
            mcp_response: {
              jsonrpc: '2.0',
              id: 7,
              result: { content: [{ type: 'text', text: '42' }] },
            },
          },
        },
      },
    ]);
    play(toolsCall('r2', 'explode', {}));
    await vi.advanceTimersByTimeAsync(0);
    expect(written[1]).toMatchObject({
      response: {
        request_id: 'r2',
        response: { mcp_response: { result: { isError: true, content: [{ text: /kaboom/ }] } } },
      },
    });
    play(result({ result: '42' }));
    play(exited());
    expect(output()).toMatchObject({ status: 'succeeded', text: '42' });
    // Control traffic is answered, not streamed to the caller.
    const types = events.flatMap((e) => (e.type === 'query.message' ? [e.message.type] : []));
    expect(types).toEqual(['system', 'result']);
  });

  it('denies a permission prompt with the reason when canUseTool throws, and reports it', async () => {
    const { play, written, inputs, events } = await harness({
      canUseTool: () => {
        throw new Error('policy service down');
      },
    });
    // canUseTool alone asks nothing of initialize: the prompt is all that is written first.
    expect(inputs[0]?.messages.map((m) => m.type)).toEqual(['user']);
    expect(inputs[0]?.stdin).toBe('untilResult');
    play(spawned());
    play(init());
    play(request('p1', { subtype: 'can_use_tool', tool_name: 'Bash', input: { command: 'ls' } }));
    await vi.advanceTimersByTimeAsync(0);
    expect(written[0]).toMatchObject({
      response: {
        request_id: 'p1',
        response: { behavior: 'deny', message: expect.stringContaining('policy service down') },
      },
    });
    expect(events).toContainEqual(
      expect.objectContaining({
        type: 'query.callback_failed',
        attempt: 1,
        error: expect.objectContaining({ code: 'CALLBACK_FAILED', subtype: 'can_use_tool' }),
      }),
    );
  });

  it.each([
    ['an id already being answered', 'p1'],
    ['an empty id', ''],
  ])('ignores a permission prompt with %s: a protocol error, one answer only', async (_, id) => {
    let calls = 0;
    let allow: () => void = () => {};
    const { play, written, events } = await harness({
      canUseTool: () => {
        calls += 1;
        return new Promise((resolve) => {
          allow = () => resolve({ behavior: 'allow', updatedInput: {} });
        });
      },
    });
    play(spawned());
    play(request('p1', { subtype: 'can_use_tool', tool_name: 'Bash', input: {} }));
    await vi.advanceTimersByTimeAsync(0);
    play(request(id, { subtype: 'can_use_tool', tool_name: 'Bash', input: { again: true } }));
    await vi.advanceTimersByTimeAsync(0);
    expect(calls).toBe(1);
    expect(events).toContainEqual(
      expect.objectContaining({
        type: 'query.protocol_error',
        error: expect.objectContaining({
          reason: 'invalid_message',
          detail: expect.stringMatching(id === '' ? /empty request_id/ : /already being answered/),
        }),
      }),
    );
    allow();
    await vi.advanceTimersByTimeAsync(0);
    expect(written).toHaveLength(1);
    expect(written[0]).toMatchObject({ response: { request_id: 'p1' } });
  });

  it('aborts a callback the CLI cancels, and sends it no answer', async () => {
    let aborted = false;
    const { play, written } = await harness({
      canUseTool: (_tool, _input, { signal }) =>
        new Promise(() => {
          signal.addEventListener('abort', () => {
            aborted = true;
          });
        }),
    });
    play(spawned());
    play(request('p1', { subtype: 'can_use_tool', tool_name: 'Bash', input: {} }));
    await vi.advanceTimersByTimeAsync(0);
    play({
      type: 'claude.message',
      message: cli({ type: 'control_cancel_request', request_id: 'p1' }),
    });
    await vi.advanceTimersByTimeAsync(120_000);
    expect(aborted).toBe(true);
    expect(written).toEqual([]);
  });

  it('aborts the tool calls still running when the attempt ends, and writes nothing after', async () => {
    const { play, written, actor } = await harness({ sdkMcpServers: [calc()] });
    play(spawned());
    play(toolsCall('r1', 'hang', {}));
    await vi.advanceTimersByTimeAsync(0);
    actor.send({ type: 'CANCEL' });
    await vi.advanceTimersByTimeAsync(0);
    expect(Object.keys(actor.getSnapshot().children)).toEqual([]);
    expect(written).toEqual([]);
    expect(actor.getSnapshot().status).toBe('done');
  });

  it('serves the tools again on a retried attempt', async () => {
    const { play, written, inputs, output } = await harness({ sdkMcpServers: [calc()] });
    play(spawned());
    play(exited({ exitCode: 1, stderrTail: 'crashed' }));
    await vi.advanceTimersByTimeAsync(60_000);
    expect(inputs).toHaveLength(2);
    expect(inputs[1]?.messages[0]).toMatchObject({ request: { subtype: 'initialize' } });
    play(spawned());
    play(toolsCall('r9', 'add', { a: 1, b: 1 }));
    await vi.advanceTimersByTimeAsync(0);
    expect(written).toEqual([
      expect.objectContaining({ response: expect.objectContaining({ request_id: 'r9' }) }),
    ]);
    play(result());
    play(exited());
    expect(output()).toMatchObject({ status: 'succeeded', attempts: 2 });
  });

  it('fails the attempt, killing the CLI, when the CLI refuses the initialize request', async () => {
    const { play, commands, output } = await harness({
      sdkMcpServers: [calc()],
      retry: { maxAttempts: 1 },
    });
    play(spawned());
    play({
      type: 'claude.message',
      message: cli({
        type: 'control_response',
        response: { subtype: 'error', request_id: 'init_0', error: 'bad hooks' },
      }),
    });
    expect(commands).toEqual(['KILL']);
    play(exited({ signal: 'SIGKILL', exitCode: undefined }));
    const end = output();
    expect(end.status).toBe('failed');
    expect(end.error).toMatchObject({ code: 'CONTROL_REQUEST_FAILED', subtype: 'initialize' });
    expect(end.error?.message).toContain('bad hooks');
  });

  it('answers a hook callback with the hook registered in initialize', async () => {
    const { play, written, inputs } = await harness({
      hooks: { PreToolUse: [{ matcher: 'Bash', hooks: [() => ({ continue: true })] }] },
    });
    expect(inputs[0]?.messages[0]).toMatchObject({
      request: {
        subtype: 'initialize',
        hooks: { PreToolUse: [{ matcher: 'Bash', hookCallbackIds: ['hook_PreToolUse_0_0'] }] },
      },
    });
    play(spawned());
    play(
      request('h1', { subtype: 'hook_callback', callback_id: 'hook_PreToolUse_0_0', input: {} }),
    );
    await vi.advanceTimersByTimeAsync(0);
    expect(written[0]).toMatchObject({
      response: { subtype: 'success', request_id: 'h1', response: { continue: true } },
    });
  });

  it('does not count a running callback as silence; the idle timer restarts at its answer', async () => {
    const { play, written, actor, output } = await harness({
      timeouts: { idleMs: 5_000 },
      callbackTimeoutMs: 20_000,
      retry: { maxAttempts: 1 },
      canUseTool: () =>
        new Promise((resolve) => setTimeout(() => resolve({ behavior: 'allow' }), 8_000)),
    });
    play(spawned());
    play(request('p1', { subtype: 'can_use_tool', tool_name: 'Bash', input: {} }));
    await vi.advanceTimersByTimeAsync(7_000);
    expect(actor.getSnapshot().status).toBe('active');
    await vi.advanceTimersByTimeAsync(1_000);
    expect(written[0]).toMatchObject({ response: { request_id: 'p1' } });
    // Answered: the CLI is expected to speak again within idleMs.
    await vi.advanceTimersByTimeAsync(4_999);
    expect(actor.getSnapshot().status).toBe('active');
    await vi.advanceTimersByTimeAsync(1);
    play(exited({ signal: 'SIGTERM', exitCode: undefined }));
    expect(output().error).toMatchObject({ code: 'IDLE_TIMEOUT' });
  });

  // Lines the parser would refuse, from a process actor that does not parse (or a CLI bug):
  // the handler that cannot read them must not leave the idle timeout off for the attempt.
  it.each([
    ['a control_request with no request', { type: 'control_request', request_id: 'x1' }, 1],
    ['a control_response with no response', { type: 'control_response' }, 0],
  ])('still times out idle after %s', async (_name, line, answers) => {
    const { play, written, actor, output } = await harness({
      sdkMcpServers: [calc()],
      timeouts: { idleMs: 5_000 },
      retry: { maxAttempts: 1 },
    });
    play(spawned());
    play({ type: 'claude.message', message: line as never });
    await vi.advanceTimersByTimeAsync(0);
    expect(written).toHaveLength(answers);
    if (answers > 0) {
      expect(written[0]).toMatchObject({ response: { subtype: 'error', request_id: 'x1' } });
    }
    expect(actor.getSnapshot().status).toBe('active');
    await vi.advanceTimersByTimeAsync(5_000);
    play(exited({ signal: 'SIGTERM', exitCode: undefined }));
    expect(output().error).toMatchObject({ code: 'IDLE_TIMEOUT' });
  });
});
