import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createSimulator } from '../../src/testing/create-simulator.js';
import type { Simulator } from '../../src/testing/simulator.js';
import { cliBody, cliUserMessage, post, toolResultBody } from './sim-client.js';

describe('recording requests', () => {
  let sim: Simulator;
  beforeEach(async () => {
    sim = await createSimulator();
  });
  afterEach(async () => {
    await sim.close();
  });

  async function record(body: unknown): Promise<NonNullable<Simulator['requests'][number]>> {
    await post(sim, body).then((r) => r.text());
    return sim.requests.at(-1)!;
  }

  it('records method, path, model, stream flag, body and time', async () => {
    const before = Date.now();
    const body = cliBody('hello');
    const req = await record(body);
    expect(req).toMatchObject({
      method: 'POST',
      path: '/v1/messages?beta=true',
      model: 'claude-opus-5-5',
      stream: true,
      prompt: 'hello',
      hasToolResult: false,
      toolResults: [],
      body,
    });
    expect(req.at).toBeGreaterThanOrEqual(before);
  });

  it('redacts the API key and authorization headers', async () => {
    await post(sim, cliBody('x'), { headers: { authorization: 'Bearer tok', 'x-app': 'cli' } });
    expect(sim.requests[0]?.headers).toMatchObject({
      'x-api-key': '[redacted]',
      authorization: '[redacted]',
      'x-app': 'cli',
    });
    expect(JSON.stringify(sim.requests)).not.toContain('sk-ant-secret');
  });

  it.each([
    ['a string content', [{ role: 'user', content: 'plain' }], 'plain'],
    [
      'a reminder and the prompt in one block',
      [{ role: 'user', content: '<system-reminder>ctx</system-reminder>\n  inline prompt ' }],
      'inline prompt',
    ],
    [
      'the last of several user messages',
      [cliUserMessage('first'), { role: 'assistant', content: 'ok' }, cliUserMessage('second')],
      'second',
    ],
    ['only reminders', [{ role: 'user', content: '<system-reminder>x</system-reminder>' }], ''],
  ])('extracts the prompt from %s', async (_name, messages, prompt) => {
    expect((await record(cliBody('', { messages }))).prompt).toBe(prompt);
  });

  it('summarises tool results and keeps the turn prompt', async () => {
    const body = toolResultBody('read the file', 'toolu_9');
    const messages = body.messages as { content: unknown }[];
    messages.push({
      role: 'user',
      content: [
        {
          type: 'tool_result',
          tool_use_id: 'toolu_9',
          is_error: true,
          content: [
            { type: 'text', text: 'denied' },
            { type: 'text', text: 'twice' },
          ],
        },
      ],
    } as never);
    const req = await record(body);
    expect(req.prompt).toBe('read the file');
    expect(req.hasToolResult).toBe(true);
    expect(req.toolResults).toEqual([
      { toolUseId: 'toolu_9', content: 'denied\ntwice', isError: true },
    ]);
  });

  it('answers HEAD / with 200 and records nothing', async () => {
    const res = await fetch(sim.url, { method: 'HEAD' });
    expect(res.status).toBe(200);
    expect(sim.requests).toHaveLength(0);
  });

  it('answers count_tokens with an estimate and records nothing', async () => {
    const res = await post(sim, cliBody('x'), { path: '/v1/messages/count_tokens?beta=true' });
    const body = (await res.json()) as { input_tokens: number };
    expect(body.input_tokens).toBeGreaterThan(0);
    expect(sim.requests).toHaveLength(0);
  });

  it.each([
    ['GET', '/v1/models'],
    ['POST', '/v1/complete'],
    ['GET', '/'],
  ])('answers %s %s with a 404 error body', async (method, path) => {
    const res = await fetch(`${sim.url}${path}`, {
      method,
      ...(method === 'POST' ? { body: '{}' } : {}),
    });
    expect(res.status).toBe(404);
    expect(await res.json()).toMatchObject({ type: 'error', error: { type: 'not_found_error' } });
  });

  it.each([
    ['not JSON', 'nope', /not JSON/],
    ['no model', { messages: [] }, /model/],
    ['bad messages', { model: 'm', messages: 'x' }, /messages/],
  ])('refuses a body that is %s with a 400 naming the problem', async (_name, body, message) => {
    const res = await post(sim, body);
    expect(res.status).toBe(400);
    const json = (await res.json()) as { error: { type: string; message: string } };
    expect(json.error.type).toBe('invalid_request_error');
    expect(json.error.message).toMatch(message);
    expect(sim.requests).toHaveLength(0);
  });

  it('gives an environment that points the CLI here', () => {
    expect(sim.env()).toEqual({
      ANTHROPIC_BASE_URL: sim.url,
      ANTHROPIC_API_KEY: 'sk-sim-local',
      DISABLE_TELEMETRY: '1',
      CLAUDE_CODE_DISABLE_NONESSENTIAL_TRAFFIC: '1',
    });
    expect(sim.url).toBe(`http://127.0.0.1:${sim.port}`);
  });
});
