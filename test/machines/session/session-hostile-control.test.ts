import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { INITIALIZE_REQUEST_ID } from '../../../src/machines/control/initialize-request-id.js';
import { sessionHarness } from './session-harness.js';

beforeEach(() => {
  vi.useFakeTimers();
});
afterEach(() => {
  vi.useRealTimers();
});

type Harness = ReturnType<typeof sessionHarness>;

function readyHarness(): Harness {
  const h = sessionHarness({ canUseTool: async () => ({ behavior: 'allow' }) });
  h.respond(INITIALIZE_REQUEST_ID);
  return h;
}

const protocolErrors = (h: Harness) => h.of('session.protocol_error').map((e) => e.error);
const answers = (h: Harness) => h.written.filter((w) => w.type === 'control_response');
const settledIds = (h: Harness) =>
  h
    .of('control.settled')
    .map((e) => e.requestId)
    .filter((id) => id !== INITIALIZE_REQUEST_ID);

const response = (requestId: unknown) =>
  JSON.stringify({
    type: 'control_response',
    response: { subtype: 'success', request_id: requestId, response: {} },
  });

const request = (requestId: unknown, subtype: unknown = 'can_use_tool') =>
  JSON.stringify({
    type: 'control_request',
    request_id: requestId,
    request: { subtype, tool_name: 'Bash', input: { command: 'ls' } },
  });

describe('a hostile CLI on the control protocol', () => {
  it.each([
    ['a number', 7],
    ['an object', { id: 'req_1' }],
    ['null', null],
    ['an array', ['req_1']],
    ['missing', undefined],
  ])('turns a control_response whose request_id is %s into a protocol error', (_, id) => {
    const h = readyHarness();
    h.control('req_1', { subtype: 'interrupt' });
    expect(() => h.line(response(id))).not.toThrow();
    expect(protocolErrors(h)).toEqual([
      expect.objectContaining({
        reason: 'invalid_message',
        detail: expect.stringMatching(/request_id/),
      }),
    ]);
    expect(settledIds(h)).toEqual([]);
    h.respond('req_1');
    expect(settledIds(h)).toEqual(['req_1']);
    expect(h.actor.getSnapshot().status).toBe('active');
  });

  it.each([
    '__proto__',
    'constructor',
    'toString',
    'hasOwnProperty',
    'req_never_sent',
  ])('reports a control_response for %s, which has no pending request, and settles nothing', (id) => {
    const h = readyHarness();
    h.control('req_1', { subtype: 'interrupt' });
    h.line(response(id));
    expect(protocolErrors(h)).toEqual([
      expect.objectContaining({
        reason: 'invalid_message',
        detail: expect.stringContaining(`request_id ${JSON.stringify(id)}, which has no pending`),
      }),
    ]);
    expect(settledIds(h)).toEqual([]);
    expect(Object.keys(h.actor.getSnapshot().context.pending)).toEqual(['req_1']);
    // The real request still times out on its own timer.
    vi.advanceTimersByTime(60_000);
    expect(settledIds(h)).toEqual(['req_1']);
  });

  it('reports a second answer to a request already settled', () => {
    const h = readyHarness();
    h.control('req_1', { subtype: 'interrupt' });
    h.respond('req_1');
    h.respond('req_1');
    expect(settledIds(h)).toEqual(['req_1']);
    expect(protocolErrors(h)).toHaveLength(1);
  });

  it('turns a control_response with an unknown subtype or no response into a protocol error', () => {
    const h = readyHarness();
    h.line(
      JSON.stringify({ type: 'control_response', response: { subtype: 'maybe', request_id: 'x' } }),
    );
    h.line(JSON.stringify({ type: 'control_response' }));
    expect(protocolErrors(h).map((e) => e.reason)).toEqual(['invalid_message', 'invalid_message']);
    expect(h.actor.getSnapshot().status).toBe('active');
  });

  it.each([
    ['a number', 7],
    ['an object', { $ne: 1 }],
    ['null', null],
  ])('does not answer a control_request whose request_id is %s: a protocol error', async (_, id) => {
    const h = readyHarness();
    h.line(request(id));
    await vi.advanceTimersByTimeAsync(0);
    expect(protocolErrors(h)).toHaveLength(1);
    expect(answers(h)).toEqual([]);
    expect(Object.keys(h.actor.getSnapshot().children)).toEqual(['process']);
  });

  it('does not answer a control_request with an empty request_id: a protocol error', async () => {
    const h = readyHarness();
    h.line(request(''));
    await vi.advanceTimersByTimeAsync(0);
    expect(protocolErrors(h)).toEqual([
      expect.objectContaining({ detail: expect.stringContaining('empty request_id') }),
    ]);
    expect(answers(h)).toEqual([]);
  });

  it.each([
    '__proto__',
    'constructor',
  ])('answers a control_request with request_id %s like any other', async (id) => {
    const h = readyHarness();
    h.line(request(id));
    await vi.advanceTimersByTimeAsync(0);
    expect(protocolErrors(h)).toEqual([]);
    expect(answers(h)).toEqual([
      {
        type: 'control_response',
        response: {
          subtype: 'success',
          request_id: id,
          response: { behavior: 'allow', updatedInput: { command: 'ls' } },
        },
      },
    ]);
  });

  it('answers a duplicate request_id once and reports the duplicate', async () => {
    let release: () => void = () => {};
    const h = sessionHarness({
      canUseTool: () =>
        new Promise((resolve) => {
          release = () => resolve({ behavior: 'allow' });
        }),
    });
    h.respond(INITIALIZE_REQUEST_ID);
    h.line(request('cli_1'));
    h.line(request('cli_1'));
    expect(protocolErrors(h)).toEqual([
      expect.objectContaining({ detail: expect.stringContaining('already being answered') }),
    ]);
    release();
    await vi.advanceTimersByTimeAsync(0);
    expect(answers(h)).toHaveLength(1);
  });

  it.each([
    ['no subtype', JSON.stringify({ type: 'control_request', request_id: 'r', request: {} })],
    ['no request', JSON.stringify({ type: 'control_request', request_id: 'r' })],
    ['a numeric subtype', request('r', 5)],
  ])('turns a control_request with %s into a protocol error', async (_, raw) => {
    const h = readyHarness();
    h.line(raw);
    await vi.advanceTimersByTimeAsync(0);
    expect(protocolErrors(h)).toHaveLength(1);
    expect(answers(h)).toEqual([]);
  });

  it('answers an unknown subtype with an error naming it', async () => {
    const h = readyHarness();
    h.line(request('r', 'constructor'));
    await vi.advanceTimersByTimeAsync(0);
    expect(answers(h)).toEqual([
      {
        type: 'control_response',
        response: {
          subtype: 'error',
          request_id: 'r',
          error: 'Unsupported control request subtype: constructor',
        },
      },
    ]);
  });

  it('ignores a control_cancel_request for a request it is not answering', () => {
    const h = readyHarness();
    for (const id of ['__proto__', 'constructor', 'nope']) {
      h.line(JSON.stringify({ type: 'control_cancel_request', request_id: id }));
    }
    h.line(JSON.stringify({ type: 'control_cancel_request', request_id: 3 }));
    expect(protocolErrors(h).map((e) => e.reason)).toEqual(['invalid_message']);
    expect(h.actor.getSnapshot().status).toBe('active');
  });
});
