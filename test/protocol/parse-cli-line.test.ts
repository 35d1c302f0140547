import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import type { CliMessage } from '../../src/protocol/cli-message.js';
import {
  isApiRetry,
  isAssistantMessage,
  isCanUseToolRequest,
  isControlRequest,
  isResultMessage,
  isStreamEvent,
  isSystemInit,
} from '../../src/protocol/cli-message-guards.js';
import { parseCliLine } from '../../src/protocol/parse-cli-line.js';
import { isProtocolError, type ProtocolErrorEvent } from '../../src/protocol/protocol-event.js';

const FIXTURES = fileURLToPath(new URL('../fixtures/cli-lines/', import.meta.url));

/** Lines captured from the real CLI 2.1.330 against a local Messages API server. */
function fixture(name: string): CliMessage[] {
  return readFileSync(`${FIXTURES}${name}`, 'utf8')
    .split('\n')
    .map((line) => parseCliLine(line))
    .filter((m): m is CliMessage => m !== undefined && m.type !== 'protocol_error');
}

function parse(value: unknown): CliMessage | ProtocolErrorEvent | undefined {
  return parseCliLine(JSON.stringify(value));
}

describe('parseCliLine on real CLI output', () => {
  const files = readdirSync(FIXTURES).filter((f) => f.endsWith('.jsonl'));

  it.each(files)('parses every line of %s into a known message', (file) => {
    const lines = readFileSync(`${FIXTURES}${file}`, 'utf8').split('\n');
    const parsed = lines.map((line) => parseCliLine(line)).filter((m) => m !== undefined);
    expect(parsed.length).toBeGreaterThan(0);
    for (const message of parsed) {
      expect(message.type).not.toBe('protocol_error');
      expect(message.type).not.toBe('unknown');
    }
  });

  it('reads the init message, the assistant text and the result of a plain turn', () => {
    const [init, assistant, result] = fixture('text-turn.jsonl');
    expect(isSystemInit(init)).toBe(true);
    if (!isSystemInit(init)) return;
    expect(init.session_id).toMatch(/^[0-9a-f-]{36}$/);
    expect(init.model).toBe('claude-opus-5-5');
    expect(init.tools).toContain('Bash');
    expect(init.claude_code_version).toBe('2.1.330');

    expect(isAssistantMessage(assistant)).toBe(true);
    if (!isAssistantMessage(assistant)) return;
    expect(assistant.message.content).toEqual([{ type: 'text', text: 'Hello world' }]);
    expect(assistant.parent_tool_use_id).toBeNull();

    expect(isResultMessage(result)).toBe(true);
    if (!isResultMessage(result)) return;
    expect(result).toMatchObject({
      subtype: 'success',
      is_error: false,
      result: 'Hello world',
      session_id: init.session_id,
      num_turns: 1,
      terminal_reason: 'completed',
      api_error_status: null,
      permission_denials: [],
    });
    expect(result.total_cost_usd).toBeGreaterThan(0);
  });

  it('keeps fields the schemas do not name', () => {
    const result = fixture('text-turn.jsonl').find(isResultMessage);
    expect(result?.ttft_ms).toBe(177);
    expect(result?.subagent_stats).toBeTypeOf('object');
  });

  it('reads api_retry notices and the error result after the CLI gave up on a 401', () => {
    const messages = fixture('api-error-auth.jsonl');
    const retries = messages.filter(isApiRetry);
    expect(retries.map((r) => r.attempt)).toEqual([1, 2]);
    expect(retries[0]).toMatchObject({
      max_retries: 2,
      error_status: 401,
      error: 'authentication_failed',
    });
    const assistant = messages.find(isAssistantMessage);
    expect(assistant?.error).toBe('authentication_failed');
    const result = messages.find(isResultMessage);
    expect(result).toMatchObject({
      subtype: 'success',
      is_error: true,
      terminal_reason: 'api_error',
      api_error_status: 401,
      api_error_type: 'authentication_error',
    });
  });

  it('reads a rate-limit retry with its delay', () => {
    const retry = fixture('api-retry-rate-limit.jsonl').find(isApiRetry);
    expect(retry).toMatchObject({ attempt: 1, error_status: 429, error: 'rate_limit' });
    expect(retry?.retry_delay_ms).toBeGreaterThan(0);
  });

  it('reads stream events, status notices and control responses', () => {
    const messages = fixture('partial-messages-with-control.jsonl');
    const events = messages.filter(isStreamEvent).map((m) => m.event.type);
    expect(events).toEqual([
      'message_start',
      'content_block_start',
      'content_block_delta',
      'content_block_delta',
      'content_block_stop',
      'message_delta',
      'message_stop',
    ]);
    expect(messages).toContainEqual(
      expect.objectContaining({ type: 'system', subtype: 'status', status: 'requesting' }),
    );
    const responses = messages.filter((m) => m.type === 'control_response');
    expect(responses.map((m) => m.response.subtype)).toEqual(['success', 'error', 'success']);
    expect(responses[1]?.response).toMatchObject({
      request_id: 'req_2',
      error_code: 'unsupported_request',
    });
    expect(responses[2]?.response).toEqual({
      subtype: 'success',
      request_id: 'req_3',
      response: { mcpServers: [] },
    });
  });

  it('reads a can_use_tool request and the tool result that follows it', () => {
    const messages = fixture('tool-permission-prompt.jsonl');
    const request = messages.find(isControlRequest);
    expect(request).toBeDefined();
    if (!request || !isCanUseToolRequest(request.request)) throw new Error('no can_use_tool');
    expect(request.request_id).toBeTypeOf('string');
    expect(request.request).toMatchObject({
      tool_name: 'Write',
      input: { file_path: '/tmp/exp2/out.txt', content: 'x' },
      tool_use_id: 'toolu_1',
    });
    const user = messages.find((m) => m.type === 'user');
    expect(user?.message.content).toEqual([
      expect.objectContaining({ type: 'tool_result', tool_use_id: 'toolu_1' }),
    ]);
  });
});

// Shapes read from the CLI 2.1.330 binary: these kinds cannot be provoked against a local server.
describe('parseCliLine on kinds seen only in the CLI source', () => {
  it.each([
    [
      'rate_limit_event',
      {
        type: 'rate_limit_event',
        rate_limit_info: { status: 'allowed_warning', resetsAt: 1_800_000_000, utilization: 0.9 },
        uuid: 'u',
        session_id: 's',
      },
    ],
    ['keep_alive', { type: 'keep_alive' }],
    [
      'tool_progress',
      {
        type: 'tool_progress',
        tool_use_id: 'toolu_1',
        tool_name: 'Bash',
        parent_tool_use_id: null,
        elapsed_time_seconds: 3,
        session_id: 's',
      },
    ],
    [
      'auth_status',
      { type: 'auth_status', isAuthenticating: true, output: ['...'], uuid: 'u', session_id: 's' },
    ],
    ['control_cancel_request', { type: 'control_cancel_request', request_id: 'r1' }],
    [
      'compact_boundary',
      {
        type: 'system',
        subtype: 'compact_boundary',
        compact_metadata: { trigger: 'auto', pre_tokens: 1000 },
        session_id: 's',
      },
    ],
    ['any other system subtype', { type: 'system', subtype: 'brand_new_subtype', x: 1 }],
    ['hook_started', { type: 'system', subtype: 'hook_started', hook_id: 'h' }],
    [
      'hook_callback',
      {
        type: 'control_request',
        request_id: 'r2',
        request: { subtype: 'hook_callback', callback_id: 'cb1', input: { x: 1 } },
      },
    ],
    [
      'mcp_message',
      {
        type: 'control_request',
        request_id: 'r3',
        request: {
          subtype: 'mcp_message',
          server_name: 'mine',
          message: { jsonrpc: '2.0', id: 1, method: 'tools/list' },
        },
      },
    ],
    [
      'any other control request',
      { type: 'control_request', request_id: 'r4', request: { subtype: 'brand_new_request' } },
    ],
  ])('parses %s as is', (_kind, message) => {
    expect(parse(message)).toEqual(message);
  });
});

describe('parseCliLine on unexpected input', () => {
  it('passes an unknown type through as an unknown message', () => {
    const raw = { type: 'brand_new_thing', payload: [1, 2] };
    expect(parse(raw)).toEqual({ type: 'unknown', originalType: 'brand_new_thing', raw });
  });

  it('passes an object without a string type through as an unknown message', () => {
    expect(parse({ hello: 1 })).toEqual({
      type: 'unknown',
      originalType: undefined,
      raw: { hello: 1 },
    });
    expect(parse({ type: 7 })).toMatchObject({ type: 'unknown', originalType: undefined });
  });

  it.each([
    ['a negative cost', { total_cost_usd: -5 }],
    ['a cost that is not a number', { total_cost_usd: 'abc' }],
    ['a null cost', { total_cost_usd: null }],
    ['an infinite-looking turn count', { num_turns: -1, duration_ms: 'soon' }],
    ['a usage that is an array', { usage: [] }],
    ['negative and fractional tokens', { usage: { input_tokens: -7, output_tokens: 1.5 } }],
    ['details of the wrong type', { errors: 'boom', permission_denials: {}, stop_reason: 3 }],
  ])('keeps a result with %s, the malformed figures read as absent', (_, fields) => {
    const parsed = parse({
      type: 'result',
      subtype: 'success',
      is_error: false,
      result: 'the answer',
      session_id: 's',
      ...fields,
    });
    expect(parsed).toMatchObject({ type: 'result', result: 'the answer' });
    const result = parsed as Record<string, unknown>;
    for (const [key, value] of Object.entries(fields)) {
      if (key === 'usage' && typeof value === 'object' && !Array.isArray(value)) {
        expect(result.usage).toEqual({ input_tokens: undefined, output_tokens: undefined });
      } else {
        expect(result[key]).toBeUndefined();
      }
    }
  });

  it('keeps an assistant message whose usage or stop reason is malformed', () => {
    const parsed = parse({
      type: 'assistant',
      session_id: 's',
      message: {
        role: 'assistant',
        content: [{ type: 'text', text: 'hi' }],
        usage: [],
        stop_reason: 4,
      },
    });
    expect(parsed).toMatchObject({ type: 'assistant', message: { usage: undefined } });
  });

  it('does not mistake a prototype member for a known type', () => {
    expect(parse({ type: 'constructor' })).toMatchObject({
      type: 'unknown',
      originalType: 'constructor',
    });
  });

  it('reports malformed JSON with a bounded sample and the line length', () => {
    const line = `{"type":"assistant", ${'x'.repeat(500)}`;
    const parsed = parseCliLine(line);
    expect(parsed).toMatchObject({ type: 'protocol_error', reason: 'malformed_json' });
    if (!isProtocolError(parsed)) throw new Error('expected a protocol error');
    expect(parsed.sample).toBe(line.slice(0, 200));
    expect(parsed.length).toBe(line.length);
    expect(parsed.detail).not.toBe('');
  });

  it.each(['[1,2]', '42', 'null', '"text"', 'true'])('reports %s as not an object', (line) => {
    expect(parseCliLine(line)).toMatchObject({
      type: 'protocol_error',
      reason: 'not_an_object',
      sample: line,
      length: line.length,
    });
  });

  it.each([
    ['a result without is_error', { type: 'result', subtype: 'success' }, 'is_error'],
    [
      'an api_retry with a text attempt',
      { type: 'system', subtype: 'api_retry', attempt: 'one', retry_delay_ms: 5 },
      'attempt',
    ],
    ['an init without session_id', { type: 'system', subtype: 'init' }, 'session_id'],
    ['an assistant message without message', { type: 'assistant' }, 'message'],
    [
      'a can_use_tool request without tool_name',
      { type: 'control_request', request_id: 'r', request: { subtype: 'can_use_tool', input: {} } },
      'tool_name',
    ],
  ])('reports %s as an invalid message naming the field', (_name, message, field) => {
    const parsed = parse(message);
    expect(parsed).toMatchObject({ type: 'protocol_error', reason: 'invalid_message' });
    if (!isProtocolError(parsed)) throw new Error('expected a protocol error');
    expect(parsed.detail).toContain(field);
  });

  it('says what is wrong in our words, with the path as options are named', () => {
    const parsed = parse({
      type: 'system',
      subtype: 'api_retry',
      attempt: 'one',
      retry_delay_ms: 5,
    });
    if (!isProtocolError(parsed)) throw new Error('expected a protocol error');
    expect(parsed.detail).toContain('attempt: expected a number');
    const init = parse({ type: 'system', subtype: 'init' });
    if (!isProtocolError(init)) throw new Error('expected a protocol error');
    expect(init.detail).toContain('session_id: is required');
  });

  it.each(['', '   ', '\t', '\r'])('skips the blank line %j', (line) => {
    expect(parseCliLine(line)).toBeUndefined();
  });

  it('never throws, whatever the line', () => {
    const lines = ['{', '}', '{"type":null}', '\u0000', '{"type":"result","is_error":"no"}', 'ü'];
    for (const line of lines) expect(() => parseCliLine(line)).not.toThrow();
  });
});
