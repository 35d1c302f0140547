import { describe, expect, it } from 'vitest';
import { InvalidOptionsError } from '../../src/core/validation/invalid-options-error.js';
import type { HostControlRequest } from '../../src/protocol/control.js';
import type { HostMessage } from '../../src/protocol/host-message.js';
import {
  controlError,
  controlRequest,
  controlSuccess,
  userMessage,
} from '../../src/protocol/host-message-builders.js';
import { parseCliLine } from '../../src/protocol/parse-cli-line.js';
import { serializeHostMessage } from '../../src/protocol/serialize-host-message.js';

describe('userMessage', () => {
  it('builds the exact line the CLI expects for a text prompt', () => {
    expect(serializeHostMessage(userMessage('hi'))).toBe(
      '{"type":"user","message":{"role":"user","content":"hi"},' +
        '"parent_tool_use_id":null,"session_id":""}\n',
    );
  });

  it('carries content blocks, a session id and a parent tool use id', () => {
    const blocks = [
      { type: 'text', text: 'look' },
      { type: 'image', source: { type: 'base64', media_type: 'image/png', data: 'AAAA' } },
    ];
    expect(userMessage(blocks, { sessionId: 's-1', parentToolUseId: 'toolu_1' })).toEqual({
      type: 'user',
      message: { role: 'user', content: blocks },
      parent_tool_use_id: 'toolu_1',
      session_id: 's-1',
    });
  });

  it('keeps a prompt with newlines on one line', () => {
    const line = serializeHostMessage(userMessage('a\nb\r\nc'));
    expect(line.indexOf('\n')).toBe(line.length - 1);
    expect(JSON.parse(line).message.content).toBe('a\nb\r\nc');
  });
});

describe('control messages from the host', () => {
  it.each<[HostControlRequest]>([
    [{ subtype: 'interrupt' }],
    [{ subtype: 'initialize', hooks: { PreToolUse: [{ hookCallbackIds: ['h1'] }] } }],
    [{ subtype: 'set_model', model: 'sonnet' }],
    [{ subtype: 'set_permission_mode', mode: 'plan' }],
    [{ subtype: 'mcp_status' }],
  ])('serializes the control request %j', (request) => {
    const line = serializeHostMessage(controlRequest('req_1', request));
    expect(JSON.parse(line)).toEqual({ type: 'control_request', request_id: 'req_1', request });
  });

  it('answers a can_use_tool request with an allow decision', () => {
    const answer = controlSuccess('abc', { behavior: 'allow', updatedInput: { command: 'ls' } });
    expect(JSON.parse(serializeHostMessage(answer))).toEqual({
      type: 'control_response',
      response: {
        subtype: 'success',
        request_id: 'abc',
        response: { behavior: 'allow', updatedInput: { command: 'ls' } },
      },
    });
  });

  it('answers an unsupported request with an error', () => {
    expect(controlError('abc', 'not supported')).toEqual({
      type: 'control_response',
      response: { subtype: 'error', request_id: 'abc', error: 'not supported' },
    });
  });

  it('writes control responses the CLI-side parser reads back unchanged', () => {
    const answer = controlSuccess('abc', { behavior: 'deny', message: 'no' });
    expect(parseCliLine(serializeHostMessage(answer).trimEnd())).toEqual(answer);
  });
});

describe('serializeHostMessage', () => {
  it.each([
    ['a content block without type', userMessage([{ text: 'x' } as never])],
    [
      'a known control request with a bad field',
      controlRequest('r', { subtype: 'stop_task', task_id: 3 } as never),
    ],
    ['an empty request id', controlRequest('', { subtype: 'interrupt' })],
    ['a message of no known type', { type: 'assistant' } as unknown as HostMessage],
  ])('refuses %s', (_name, message) => {
    expect(() => serializeHostMessage(message)).toThrow(InvalidOptionsError);
  });

  it('writes a control request of a subtype it has no schema for as given (newer CLIs)', () => {
    const line = serializeHostMessage(controlRequest('r', { subtype: 'get_usage', x: 1 }));
    expect(JSON.parse(line)).toEqual({
      type: 'control_request',
      request_id: 'r',
      request: { subtype: 'get_usage', x: 1 },
    });
  });

  it('names the offending field', () => {
    expect(() => serializeHostMessage(userMessage([{ text: 'x' } as never]))).toThrow(
      /Invalid host message `message\.content/,
    );
  });
});
