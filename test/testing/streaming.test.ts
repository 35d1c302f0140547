import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { text, toolUse } from '../../src/testing/builders.js';
import { createSimulator } from '../../src/testing/create-simulator.js';
import type { Simulator } from '../../src/testing/simulator.js';
import { cliBody, parseSse, post, streamed, streamedText } from './sim-client.js';

describe('streamed replies', () => {
  let sim: Simulator;
  beforeEach(async () => {
    sim = await createSimulator();
  });
  afterEach(async () => {
    await sim.close();
  });

  it('streams a text reply in the Messages API event order', async () => {
    sim.enqueue(text('Hello from the simulator, chunk by chunk.'));
    const res = await post(sim, cliBody('hi'));
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/event-stream/);
    const events = parseSse(await res.text());
    const names = events.map((e) => e.event);
    expect(names[0]).toBe('message_start');
    expect(names[1]).toBe('content_block_start');
    expect(names.slice(-3)).toEqual(['content_block_stop', 'message_delta', 'message_stop']);
    expect(new Set(names.slice(2, -3))).toEqual(new Set(['content_block_delta']));
    for (const e of events) expect(e.data.type).toBe(e.event);
    expect(streamedText(events)).toBe('Hello from the simulator, chunk by chunk.');
    const delta = events.find((e) => e.event === 'message_delta')?.data;
    expect(delta).toMatchObject({ delta: { stop_reason: 'end_turn' } });
    expect((delta?.usage as { output_tokens: number }).output_tokens).toBeGreaterThan(0);
    const start = events[0]?.data.message as Record<string, unknown>;
    expect(start).toMatchObject({ role: 'assistant', model: 'claude-opus-5-5', content: [] });
  });

  it('splits text into deltas of chunkSize characters', async () => {
    sim.enqueue(text('abcdefghij', { chunkSize: 4 }));
    const deltas = (await streamed(sim, 'x'))
      .filter((e) => e.event === 'content_block_delta')
      .map((e) => (e.data.delta as { text: string }).text);
    expect(deltas).toEqual(['abcd', 'efgh', 'ij']);
  });

  it('uses the simulator-wide chunkSize when the reply sets none', async () => {
    await sim.close();
    sim = await createSimulator({ chunkSize: 3 });
    sim.enqueue(text('abcdefg'));
    const deltas = (await streamed(sim, 'x')).filter((e) => e.event === 'content_block_delta');
    expect(deltas).toHaveLength(3);
  });

  it('streams a tool call as input_json_delta with stop_reason tool_use', async () => {
    sim.enqueue(
      toolUse('Read', { file_path: '/tmp/a.txt' }, { id: 'toolu_x', text: 'Let me look.' }),
    );
    const events = await streamed(sim, 'read a');
    const starts = events.filter((e) => e.event === 'content_block_start');
    expect(starts.map((e) => e.data.content_block)).toEqual([
      { type: 'text', text: '' },
      { type: 'tool_use', id: 'toolu_x', name: 'Read', input: {} },
    ]);
    const json = events
      .filter((e) => e.event === 'content_block_delta' && e.data.index === 1)
      .map((e) => (e.data.delta as { partial_json: string }).partial_json)
      .join('');
    expect(JSON.parse(json)).toEqual({ file_path: '/tmp/a.txt' });
    expect(events.find((e) => e.event === 'message_delta')?.data).toMatchObject({
      delta: { stop_reason: 'tool_use' },
    });
  });

  it('reports the usage a reply sets', async () => {
    sim.enqueue(text('hi', { usage: { inputTokens: 120, outputTokens: 7 } }));
    const events = await streamed(sim, 'x');
    const start = events[0]?.data.message as { usage: { input_tokens: number } };
    expect(start.usage.input_tokens).toBe(120);
    expect(events.find((e) => e.event === 'message_delta')?.data.usage).toEqual({
      output_tokens: 7,
    });
  });

  it('answers a non-stream request with a JSON message', async () => {
    sim.enqueue(toolUse('Bash', { command: 'ls' }, { id: 'toolu_y' }));
    const res = await post(sim, cliBody('x', { stream: false }));
    expect(res.headers.get('content-type')).toBe('application/json');
    expect(await res.json()).toMatchObject({
      type: 'message',
      role: 'assistant',
      stop_reason: 'tool_use',
      content: [{ type: 'tool_use', id: 'toolu_y', name: 'Bash', input: { command: 'ls' } }],
    });
    expect(sim.requests[0]?.stream).toBe(false);
  });

  it('waits ttftMs before answering and chunkDelayMs between deltas', async () => {
    sim.enqueue(text('abcdef', { ttftMs: 80, chunkDelayMs: 40, chunkSize: 2 }));
    const started = Date.now();
    const res = await post(sim, cliBody('x'));
    expect(Date.now() - started).toBeGreaterThanOrEqual(70);
    await res.text();
    // Three deltas: two gaps of 40 ms after the first.
    expect(Date.now() - started).toBeGreaterThanOrEqual(150);
  });
});
