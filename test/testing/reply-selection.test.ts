import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { apiError, text, toolUse } from '../../src/testing/builders.js';
import { createSimulator } from '../../src/testing/create-simulator.js';
import type { Simulator } from '../../src/testing/simulator.js';
import { cliBody, parseSse, post, streamed, streamedText, toolResultBody } from './sim-client.js';

async function answer(sim: Simulator, prompt: string): Promise<string> {
  return streamedText(await streamed(sim, prompt));
}

describe('choosing a reply', () => {
  let sim: Simulator;
  beforeEach(async () => {
    sim = await createSimulator();
  });
  afterEach(async () => {
    await sim.close();
  });

  it('echoes the prompt by default', async () => {
    expect(await answer(sim, 'what time is it')).toBe('Simulated reply to: what time is it');
  });

  it('consumes queued replies in order, before rules', async () => {
    sim.on('x', text('rule'));
    sim.enqueue(text('one'), text('two'));
    expect(await answer(sim, 'x')).toBe('one');
    expect(await answer(sim, 'x')).toBe('two');
    expect(await answer(sim, 'x')).toBe('rule');
  });

  it.each([
    ['a substring', 'weather' as const],
    ['a RegExp', /WEATHER/i],
    ['a function', (req: { prompt: string }) => req.prompt.endsWith('today?')],
  ])('matches a rule by %s', async (_name, match) => {
    sim.on(match, text('Sunny.'));
    expect(await answer(sim, 'weather today?')).toBe('Sunny.');
    expect(await answer(sim, 'something else')).toBe('Simulated reply to: something else');
  });

  it('tries rules in the order they were added', async () => {
    sim.on('a', text('first')).on('a', text('second'));
    expect(await answer(sim, 'a')).toBe('first');
  });

  it('answers a sequence in order and repeats its last reply', async () => {
    sim.on('go', [text('1'), text('2')]);
    expect([await answer(sim, 'go'), await answer(sim, 'go'), await answer(sim, 'go')]).toEqual([
      '1',
      '2',
      '2',
    ]);
  });

  it('skips a rule once it has answered `times` requests', async () => {
    sim.on('go', text('limited'), { times: 2 }).on('go', text('fallback'));
    const answers = [await answer(sim, 'go'), await answer(sim, 'go'), await answer(sim, 'go')];
    expect(answers).toEqual(['limited', 'limited', 'fallback']);
  });

  it('does not answer a tool-result follow-up with a prompt rule', async () => {
    sim.on('read it', toolUse('Read', { file_path: '/x' }));
    const first = await streamed(sim, 'read it');
    expect(first.some((e) => e.event === 'content_block_start')).toBe(true);
    const res = await post(sim, toolResultBody('read it'));
    expect(streamedText(parseSse(await res.text()))).toBe('Simulated reply to: read it');
    expect(sim.requests.map((r) => r.hasToolResult)).toEqual([false, true]);
  });

  it('lets a function rule answer tool-result follow-ups', async () => {
    sim.on((req) => req.hasToolResult, text('I read the file.'));
    const res = await post(sim, toolResultBody('read it'));
    expect(streamedText(parseSse(await res.text()))).toBe('I read the file.');
  });

  it('uses the defaultReply option, except a tool call for a follow-up', async () => {
    await sim.close();
    sim = await createSimulator({ defaultReply: toolUse('Read', { file_path: '/x' }) });
    const first = await streamed(sim, 'anything');
    expect(first.find((e) => e.event === 'message_delta')?.data).toMatchObject({
      delta: { stop_reason: 'tool_use' },
    });
    const res = await post(sim, toolResultBody('anything'));
    expect(streamedText(parseSse(await res.text()))).toBe('Simulated reply to: anything');
  });

  it('applies options.rules before rules added with on()', async () => {
    await sim.close();
    sim = await createSimulator({ rules: [{ match: 'x', reply: text('from options') }] });
    sim.on('x', text('from on'));
    expect(await answer(sim, 'x')).toBe('from options');
  });

  it('reset() clears the queue, added rules and requests, and rewinds option rules', async () => {
    await sim.close();
    sim = await createSimulator({
      rules: [{ match: 'x', reply: [text('a'), text('b')] }],
    });
    sim.on('y', text('added')).enqueue(apiError(500));
    await post(sim, cliBody('y')).then((r) => r.text());
    expect(await answer(sim, 'x')).toBe('a');
    sim.reset();
    expect(sim.requests).toHaveLength(0);
    expect(await answer(sim, 'y')).toBe('Simulated reply to: y');
    expect(await answer(sim, 'x')).toBe('a');
  });

  it('rejects a malformed reply naming the field', () => {
    expect(() => sim.enqueue({ kind: 'text' } as never)).toThrow(/`\[0\]\.text`/);
    expect(() => sim.on('x', [])).toThrow(/at least one reply/);
    expect(() => sim.on('x', text('a'), { times: 0 })).toThrow(/`times`.*got `0`/);
  });
});
