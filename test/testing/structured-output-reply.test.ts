import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { text } from '../../src/testing/builders.js';
import { createSimulator } from '../../src/testing/create-simulator.js';
import type { Simulator } from '../../src/testing/simulator.js';
import { cliBody, cliUserMessage, parseSse, post, streamedText } from './sim-client.js';

const schema = {
  type: 'object',
  properties: { city: { type: 'string' }, population: { type: 'integer', minimum: 1000 } },
  required: ['city', 'population'],
  additionalProperties: false,
};
const structuredTool = { name: 'StructuredOutput', description: 'Return', input_schema: schema };

/** A first request of a `--json-schema` turn: the StructuredOutput tool is offered. */
function jsonSchemaBody(prompt: string, messages?: unknown[]) {
  return { ...cliBody(prompt, messages ? { messages } : {}), tools: [structuredTool] };
}

/** The follow-up the CLI sends after our StructuredOutput call. */
function followUpBody(prompt: string, toolName = 'StructuredOutput') {
  return jsonSchemaBody(prompt, [
    cliUserMessage(prompt),
    {
      role: 'assistant',
      content: [{ type: 'tool_use', id: 'toolu_9', name: toolName, input: {} }],
    },
    { role: 'user', content: [{ type: 'tool_result', tool_use_id: 'toolu_9', content: 'ok' }] },
  ]);
}

async function toolCall(sim: Simulator, body: unknown) {
  const events = parseSse(await (await post(sim, body)).text());
  const start = events.find(
    (e) =>
      e.event === 'content_block_start' &&
      (e.data.content_block as { type: string }).type === 'tool_use',
  );
  const json = events
    .filter((e) => e.event === 'content_block_delta')
    .map((e) => (e.data.delta as { partial_json?: string }).partial_json ?? '')
    .join('');
  return { events, name: (start?.data.content_block as { name?: string })?.name, json };
}

describe('a --json-schema request no rule answers', () => {
  let sim: Simulator;
  beforeEach(async () => {
    sim = await createSimulator();
  });
  afterEach(async () => {
    await sim.close();
  });

  it('gets a StructuredOutput call whose input satisfies the schema', async () => {
    const { name, json, events } = await toolCall(sim, jsonSchemaBody('capital, as JSON'));
    expect(name).toBe('StructuredOutput');
    expect(JSON.parse(json)).toEqual({ city: 'city', population: 1000 });
    const delta = events.find((e) => e.event === 'message_delta')!;
    expect((delta.data.delta as { stop_reason: string }).stop_reason).toBe('tool_use');
  });

  it('gets text for the follow-up carrying the result of that call', async () => {
    const events = parseSse(await (await post(sim, followUpBody('capital, as JSON'))).text());
    expect(streamedText(events)).toBe('Simulated reply to: capital, as JSON');
  });

  it('gets the StructuredOutput call after the result of another tool', async () => {
    const { name } = await toolCall(sim, followUpBody('capital, as JSON', 'Read'));
    expect(name).toBe('StructuredOutput');
  });

  it('leaves requests without the tool, rules and the defaultReply alone', async () => {
    expect(streamedText(parseSse(await (await post(sim, cliBody('plain'))).text()))).toBe(
      'Simulated reply to: plain',
    );
    sim.on('capital', text('by rule'));
    expect(streamedText(parseSse(await (await post(sim, jsonSchemaBody('capital'))).text()))).toBe(
      'by rule',
    );
    const withDefault = await createSimulator({ defaultReply: text('configured') });
    try {
      const res = await post(withDefault, jsonSchemaBody('other'));
      expect(streamedText(parseSse(await res.text()))).toBe('configured');
    } finally {
      await withDefault.close();
    }
  });
});
