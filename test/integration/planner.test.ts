import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { planFromRequirements } from '../../src/orchestration/planner/plan-from-requirements.js';
import { createRuntime, type Runtime } from '../../src/runtime/create-runtime.js';
import { useSimulator } from '../helpers/integration.js';

const sim = useSimulator();
let runtime: Runtime;
beforeAll(() => {
  runtime = createRuntime({ defaults: sim.env.options });
});
afterAll(() => runtime.stop());

const cyclic = {
  workers: 3,
  tasks: [
    { id: 'a', prompt: 'first', dependsOn: ['b'] },
    { id: 'b', prompt: 'second', dependsOn: ['a'] },
  ],
};
const valid = {
  workers: 8,
  tasks: [
    { id: 'research', prompt: 'Research the topic' },
    { id: 'outline', prompt: 'Outline the report', dependsOn: ['research'] },
    { id: 'write', prompt: 'Write the report', dependsOn: ['outline'] },
  ],
};

describe('the AI planner (real CLI against the simulator)', () => {
  it('asks again with the validation error when the plan is invalid, and caps the workers', async () => {
    sim.env.simulator.on(/You are a planner/, [
      { kind: 'tool_use', name: 'StructuredOutput', input: cyclic },
      { kind: 'tool_use', name: 'StructuredOutput', input: valid },
    ]);
    const { plan, attempts } = await planFromRequirements(runtime, 'Write a report on actors.', {
      maxWorkers: 2,
    });
    expect(attempts).toBe(2);
    expect(plan.tasks.map((t) => [t.id, t.dependsOn])).toEqual([
      ['research', []],
      ['outline', ['research']],
      ['write', ['outline']],
    ]);
    expect(plan.workers).toBe(2);
    const prompts = sim.env.simulator.requests.filter((r) => !r.hasToolResult).map((r) => r.prompt);
    expect(prompts).toHaveLength(2);
    expect(prompts[0]).toContain('Write a report on actors.');
    expect(prompts[1]).toMatch(/previous plan was rejected: .*cycle/i);
    // The plan schema went to the CLI as --json-schema (its StructuredOutput tool).
    const tools = (
      sim.env.simulator.requests[0]!.body as {
        tools: { name: string; input_schema: { properties?: object } }[];
      }
    ).tools;
    expect(
      tools.find((t) => t.name === 'StructuredOutput')?.input_schema.properties,
    ).toHaveProperty('tasks');
  });

  it('gives up with every rejection and the last output when no attempt is valid', async () => {
    sim.env.simulator.on(/You are a planner/, {
      kind: 'tool_use',
      name: 'StructuredOutput',
      input: cyclic,
    });
    await expect(
      planFromRequirements(runtime, 'Impossible.', { attempts: 2 }),
    ).rejects.toMatchObject({
      code: 'PLANNER_FAILED',
      rejections: [expect.stringMatching(/cycle/i), expect.stringMatching(/cycle/i)],
      lastOutput: cyclic,
    });
  });
});
