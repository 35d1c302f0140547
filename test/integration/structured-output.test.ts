import { describe, expect, expectTypeOf, it } from 'vitest';
import { z } from 'zod';
import { runQuery } from '../../src/machines/query/run-query.js';
import { useSimulator } from '../helpers/integration.js';

const sim = useSimulator();
const Answer = z.object({ city: z.string(), population: z.number().int() });

describe('structured output with a zod schema (real CLI)', () => {
  it('sends the schema as --json-schema and returns the parsed, typed value', async () => {
    sim.env.simulator.on('capital json', {
      kind: 'tool_use',
      name: 'StructuredOutput',
      input: { city: 'Paris', population: 2_100_000 },
    });
    const handle = runQuery('capital json', { ...sim.env.options, outputSchema: Answer });
    const result = await handle.result;
    expect(result.status).toBe('succeeded');
    expect(result.structuredOutput).toEqual({ city: 'Paris', population: 2_100_000 });
    expectTypeOf(result.structuredOutput).toEqualTypeOf<z.output<typeof Answer> | undefined>();
    const tools = (
      sim.env.simulator.requests[0]!.body as { tools: { name: string; input_schema: unknown }[] }
    ).tools;
    expect(tools.find((t) => t.name === 'StructuredOutput')?.input_schema).toMatchObject({
      type: 'object',
      required: ['city', 'population'],
    });
  });

  it('fails with a StructuredOutputError carrying the raw output when it does not match', async () => {
    // A looser JSON schema lets the CLI accept it; our zod schema is stricter.
    sim.env.simulator.on('loose json', {
      kind: 'tool_use',
      name: 'StructuredOutput',
      input: { city: 'Paris', population: 2.5 },
    });
    const result = await runQuery('loose json', {
      ...sim.env.options,
      outputSchema: Answer,
      jsonSchema: {
        type: 'object',
        properties: { city: { type: 'string' }, population: { type: 'number' } },
      },
    }).result;
    expect(result.status).toBe('failed');
    expect(result.attempts).toBe(1);
    expect(result.error).toMatchObject({
      code: 'STRUCTURED_OUTPUT_INVALID',
      retryable: false,
      raw: { city: 'Paris', population: 2.5 },
      issues: [expect.objectContaining({ path: 'population' })],
    });
    expect(result.error?.message).toContain('population');
  });
});
