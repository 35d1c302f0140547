import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { runQuery } from '../../src/machines/query/run-query.js';
import { useSimulator } from '../helpers/integration.js';

const sim = useSimulator();

describe('structured output offline, with no rule (real CLI)', () => {
  it("answers the README's example with a value of its schema", async () => {
    // The README's structured-output example, pointed at the simulator and nothing else.
    const Answer = z.object({ city: z.string(), population: z.number().int() });
    const result = await runQuery('Largest city in France, as JSON', {
      ...sim.env.options,
      outputSchema: Answer,
    }).result;
    expect(result.error).toBeUndefined();
    expect(result.status).toBe('succeeded');
    expect(Answer.parse(result.structuredOutput)).toEqual({ city: 'city', population: 1 });
    // The CLI ends the turn on the StructuredOutput call: one request, which offered the tool.
    const [request, ...others] = sim.env.simulator.requests;
    expect(others).toEqual([]);
    const tools = (request!.body as { tools: { name: string }[] }).tools.map((t) => t.name);
    expect(tools).toContain('StructuredOutput');
  });
});
