import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { answerControlRequest } from '../../../src/machines/control/answer-control-request.js';
import type {
  CanUseTool,
  HookCallback,
  OnElicitation,
  OnUserDialog,
} from '../../../src/machines/control/control-options.js';
import { hookLookup } from '../../../src/machines/control/hook-registration.js';
import type { ControlRequestMessage } from '../../../src/protocol/control.js';

beforeEach(() => {
  vi.useFakeTimers();
});
afterEach(() => {
  vi.useRealTimers();
});

const canUseToolRequest = (input: Record<string, unknown> = { command: 'rm -rf x' }) =>
  ({
    type: 'control_request',
    request_id: 'r1',
    request: {
      subtype: 'can_use_tool',
      tool_name: 'Bash',
      input,
      tool_use_id: 'toolu_1',
      permission_suggestions: [{ type: 'setMode', mode: 'acceptEdits' }],
    },
  }) as ControlRequestMessage;

const hookRequest = (callbackId: string) =>
  ({
    type: 'control_request',
    request_id: 'r2',
    request: {
      subtype: 'hook_callback',
      callback_id: callbackId,
      input: { hook_event_name: 'PreToolUse', tool_name: 'Bash' },
      tool_use_id: 'toolu_1',
    },
  }) as ControlRequestMessage;

const answer = (
  request: ControlRequestMessage,
  config: {
    canUseTool?: CanUseTool;
    hooks?: Record<string, HookCallback>;
    onElicitation?: OnElicitation;
  } = {},
  signal = new AbortController().signal,
) =>
  answerControlRequest(
    request,
    {
      canUseTool: config.canUseTool,
      onElicitation: config.onElicitation,
      hooks: hookLookup(
        config.hooks &&
          Object.fromEntries(
            Object.entries(config.hooks).map(([event, hook]) => [event, [{ hooks: [hook] }]]),
          ),
      ),
      callbackTimeoutMs: 1_000,
    },
    signal,
  );

describe('answerControlRequest', () => {
  it('passes the tool, input, suggestions and tool use id to canUseTool', async () => {
    const canUseTool = vi.fn<CanUseTool>(async () => ({ behavior: 'allow' }));
    const output = await answer(canUseToolRequest(), { canUseTool });
    expect(canUseTool).toHaveBeenCalledWith(
      'Bash',
      { command: 'rm -rf x' },
      expect.objectContaining({
        suggestions: [{ type: 'setMode', mode: 'acceptEdits' }],
        toolUseId: 'toolu_1',
      }),
    );
    // `allow` without updatedInput allows the original input.
    expect(output).toEqual({
      requestId: 'r1',
      ok: true,
      response: { behavior: 'allow', updatedInput: { command: 'rm -rf x' } },
    });
  });

  it.each([
    ['a deny', { behavior: 'deny', message: 'no' }, { behavior: 'deny', message: 'no' }],
    [
      'an updated input',
      { behavior: 'allow', updatedInput: { command: 'ls' } },
      { behavior: 'allow', updatedInput: { command: 'ls' } },
    ],
  ] as const)('forwards %s', async (_name, decision, response) => {
    const output = await answer(canUseToolRequest(), { canUseTool: async () => decision });
    expect(output).toEqual({ requestId: 'r1', ok: true, response });
  });

  it('denies, saying why, when canUseTool throws', async () => {
    const output = await answer(canUseToolRequest(), {
      canUseTool: () => {
        throw new Error('kaput');
      },
    });
    expect(output).toMatchObject({
      ok: true,
      response: { behavior: 'deny', message: expect.stringMatching(/threw: kaput/) },
      failure: { code: 'CALLBACK_FAILED', timedOut: false, target: 'Bash' },
    });
  });

  it('denies when canUseTool answers something that is not a decision', async () => {
    const output = await answer(canUseToolRequest(), {
      canUseTool: async () => ({ behavior: 'maybe' }) as never,
    });
    expect(output).toMatchObject({ ok: true, response: { behavior: 'deny' } });
  });

  it('denies after callbackTimeoutMs when canUseTool hangs, aborting its signal', async () => {
    let signal: AbortSignal | undefined;
    const pending = answer(canUseToolRequest(), {
      canUseTool: (_tool, _input, context) => {
        signal = context.signal;
        return new Promise(() => {});
      },
    });
    await vi.advanceTimersByTimeAsync(999);
    expect(signal?.aborted).toBe(false);
    await vi.advanceTimersByTimeAsync(1);
    expect(await pending).toMatchObject({
      response: { behavior: 'deny', message: expect.stringMatching(/within 1000 ms/) },
      failure: { timedOut: true },
    });
    expect(signal?.aborted).toBe(true);
  });

  it('aborts the callback signal when the request is cancelled', async () => {
    const cancel = new AbortController();
    let signal: AbortSignal | undefined;
    void answer(
      canUseToolRequest(),
      {
        canUseTool: (_tool, _input, context) => {
          signal = context.signal;
          return new Promise(() => {});
        },
      },
      cancel.signal,
    );
    cancel.abort();
    expect(signal?.aborted).toBe(true);
  });

  it('denies when the session has no canUseTool callback', async () => {
    expect(await answer(canUseToolRequest())).toMatchObject({
      ok: true,
      response: { behavior: 'deny', message: expect.stringMatching(/no canUseTool/) },
    });
  });

  it('answers a hook callback with the hook output', async () => {
    const hook = vi.fn<HookCallback>(async () => ({ continue: true }));
    const output = await answer(hookRequest('hook_PostToolUse_0_0'), {
      hooks: { PostToolUse: hook },
    });
    expect(hook).toHaveBeenCalledWith(
      { hook_event_name: 'PreToolUse', tool_name: 'Bash' },
      'toolu_1',
      expect.objectContaining({ signal: expect.any(AbortSignal) }),
    );
    expect(output).toEqual({ requestId: 'r2', ok: true, response: { continue: true } });
  });

  it('denies the tool when a PreToolUse hook fails; other hooks get an error answer', async () => {
    const failing: HookCallback = () => {
      throw new Error('hook down');
    };
    expect(
      await answer(hookRequest('hook_PreToolUse_0_0'), { hooks: { PreToolUse: failing } }),
    ).toMatchObject({
      ok: true,
      response: {
        hookSpecificOutput: {
          hookEventName: 'PreToolUse',
          permissionDecision: 'deny',
          permissionDecisionReason: expect.stringMatching(/hook down/),
        },
      },
      failure: { code: 'CALLBACK_FAILED' },
    });
    expect(
      await answer(hookRequest('hook_PostToolUse_0_0'), { hooks: { PostToolUse: failing } }),
    ).toMatchObject({
      ok: false,
      error: expect.stringMatching(/hook down/),
    });
  });

  it.each([
    ['an unknown hook callback id', hookRequest('nope'), /Unknown hook callback id: nope/],
    [
      'an mcp_message',
      {
        type: 'control_request',
        request_id: 'r3',
        request: { subtype: 'mcp_message', server_name: 'srv', message: {} },
      },
      /No in-process MCP server named srv/,
    ],
    [
      'an unknown subtype',
      { type: 'control_request', request_id: 'r4', request: { subtype: 'brand_new_request' } },
      /Unsupported control request subtype: brand_new_request/,
    ],
  ])('answers %s with an error', async (_name, request, error) => {
    expect(await answer(request as ControlRequestMessage)).toMatchObject({
      ok: false,
      error: expect.stringMatching(error),
    });
  });

  it('passes everything the CLI sends about the call to canUseTool', async () => {
    const canUseTool = vi.fn<CanUseTool>(async () => ({ behavior: 'allow' }));
    const request = {
      type: 'control_request',
      request_id: 'r5',
      request: {
        subtype: 'can_use_tool',
        tool_name: 'Write',
        input: { file_path: '/etc/passwd' },
        tool_use_id: 'toolu_9',
        blocked_path: '/etc/passwd',
        decision_reason: 'outside the working directory',
        decision_reason_type: 'workingDir',
        title: 'Claude wants to write /etc/passwd',
        display_name: 'Write',
        agent_id: 'agent_7',
        mcp_server: { name: 'fs', source: 'project' },
        default_to_no: true,
        from_a_newer_cli: 42,
      },
    } as ControlRequestMessage;
    await answer(request, { canUseTool });
    expect(canUseTool.mock.calls[0]![2]).toMatchObject({
      toolUseId: 'toolu_9',
      blockedPath: '/etc/passwd',
      decisionReason: 'outside the working directory',
      decisionReasonType: 'workingDir',
      title: 'Claude wants to write /etc/passwd',
      displayName: 'Write',
      agentId: 'agent_7',
      mcpServer: { name: 'fs', source: 'project' },
      defaultToNo: true,
      request: expect.objectContaining({ from_a_newer_cli: 42 }),
    });
  });

  const elicitation = {
    type: 'control_request',
    request_id: 'r6',
    request: {
      subtype: 'elicitation',
      mcp_server_name: 'tickets',
      message: 'Which project?',
      mode: 'form',
      requested_schema: { type: 'object', properties: { project: { type: 'string' } } },
    },
  } as ControlRequestMessage;

  it('declines an elicitation when the session has no onElicitation callback', async () => {
    expect(await answer(elicitation)).toEqual({
      requestId: 'r6',
      ok: true,
      response: { action: 'decline' },
    });
  });

  it('answers an elicitation with the callback, which is told the question', async () => {
    const onElicitation = vi.fn<OnElicitation>(async () => ({
      action: 'accept',
      content: { project: 'web' },
    }));
    expect(await answer(elicitation, { onElicitation })).toEqual({
      requestId: 'r6',
      ok: true,
      response: { action: 'accept', content: { project: 'web' } },
    });
    expect(onElicitation.mock.calls[0]![0]).toEqual({
      serverName: 'tickets',
      message: 'Which project?',
      mode: 'form',
      url: undefined,
      elicitationId: undefined,
      requestedSchema: { type: 'object', properties: { project: { type: 'string' } } },
      title: undefined,
      displayName: undefined,
      description: undefined,
    });
  });

  it.each([
    ['throws', () => Promise.reject(new Error('no ui'))],
    ['answers nonsense', async () => ({ action: 'maybe' }) as never],
    [
      'answers content that is not an object',
      async () => ({ action: 'accept', content: 3 }) as never,
    ],
  ])('declines an elicitation, reporting the failure, when the callback %s', async (_name, cb) => {
    const output = await answer(elicitation, { onElicitation: cb as OnElicitation });
    expect(output).toMatchObject({ ok: true, response: { action: 'decline' } });
    expect(output.failure).toMatchObject({ code: 'CALLBACK_FAILED' });
  });

  it('declines an elicitation whose callback does not answer in time', async () => {
    const pending = answer(elicitation, { onElicitation: () => new Promise(() => {}) });
    await vi.advanceTimersByTimeAsync(1_000);
    const output = await pending;
    expect(output).toMatchObject({ ok: true, response: { action: 'decline' } });
    expect(output.failure?.message).toMatch(/did not answer within 1000 ms/);
  });

  it('routes an mcp_message to the in-process server of that name and times a hung tool out', async () => {
    const { createSdkMcpServer } = await import('../../../src/mcp/create-sdk-mcp-server.js');
    const { tool } = await import('../../../src/mcp/sdk-tool.js');
    const { z } = await import('zod');
    const server = createSdkMcpServer({
      name: 'srv',
      tools: [
        tool('hang', 'never answers', z.object({}), () => new Promise<string>(() => {})),
        tool('ok', 'answers', z.object({}), () => 'fine'),
      ],
    });
    const mcp = (name: string, id: number) =>
      ({
        type: 'control_request',
        request_id: `m${id}`,
        request: {
          subtype: 'mcp_message',
          server_name: 'srv',
          message: { jsonrpc: '2.0', id, method: 'tools/call', params: { name, arguments: {} } },
        },
      }) as ControlRequestMessage;
    const config = (request: ControlRequestMessage): ReturnType<typeof answerControlRequest> =>
      answerControlRequest(
        request,
        { hooks: new Map(), callbackTimeoutMs: 1_000, sdkMcpServers: [server] },
        new AbortController().signal,
      );
    expect(await config(mcp('ok', 1))).toEqual({
      requestId: 'm1',
      ok: true,
      response: {
        mcp_response: {
          jsonrpc: '2.0',
          id: 1,
          result: { content: [{ type: 'text', text: 'fine' }] },
        },
      },
    });
    const pending = config(mcp('hang', 2));
    await vi.advanceTimersByTimeAsync(1_000);
    const hung = await pending;
    expect(hung).toMatchObject({
      ok: true,
      response: {
        mcp_response: {
          id: 2,
          error: { code: -32603, message: expect.stringMatching(/did not answer within 1000 ms/) },
        },
      },
      failure: { code: 'CALLBACK_FAILED' },
    });
  });

  describe('request_user_dialog', () => {
    const dialog = {
      type: 'control_request',
      request_id: 'd1',
      request: {
        subtype: 'request_user_dialog',
        dialog_kind: 'refusal_fallback_prompt',
        payload: { model: 'fable' },
        tool_use_id: 'toolu_9',
      },
    } as ControlRequestMessage;
    const withDialog = (onUserDialog: OnUserDialog | undefined) =>
      answerControlRequest(
        dialog,
        { hooks: new Map(), callbackTimeoutMs: 1_000, onUserDialog },
        new AbortController().signal,
      );

    it("answers with the callback's result; the callback is told the kind, payload and ids", async () => {
      const seen: unknown[] = [];
      const output = await withDialog((request, { requestId }) => {
        seen.push(request, requestId);
        return { behavior: 'completed', result: { choice: 'retry' } };
      });
      expect(seen).toEqual([
        {
          dialogKind: 'refusal_fallback_prompt',
          payload: { model: 'fable' },
          toolUseId: 'toolu_9',
        },
        'd1',
      ]);
      expect(output).toEqual({
        requestId: 'd1',
        ok: true,
        response: { behavior: 'completed', result: { choice: 'retry' } },
      });
    });

    it('sends no answer without a callback, or when the callback answers null', async () => {
      expect(await withDialog(undefined)).toEqual({ requestId: 'd1', ok: 'silent' });
      expect(await withDialog(() => null)).toEqual({ requestId: 'd1', ok: 'silent' });
    });

    it('answers cancelled, reporting why, when the callback throws, answers nonsense or hangs', async () => {
      const thrown = await withDialog(() => {
        throw new Error('no screen');
      });
      expect(thrown).toMatchObject({
        ok: true,
        response: { behavior: 'cancelled' },
        failure: { code: 'CALLBACK_FAILED', subtype: 'request_user_dialog' },
      });
      expect(thrown.failure?.message).toContain('no screen');
      const nonsense = await withDialog(() => ({ behavior: 'maybe' }) as never);
      expect(nonsense).toMatchObject({ response: { behavior: 'cancelled' } });
      const pending = withDialog(() => new Promise(() => {}));
      await vi.advanceTimersByTimeAsync(1_000);
      expect(await pending).toMatchObject({
        response: { behavior: 'cancelled' },
        failure: { timedOut: true },
      });
    });
  });
});
