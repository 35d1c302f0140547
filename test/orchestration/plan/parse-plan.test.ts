import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { InvalidPlanError } from '../../../src/orchestration/plan/errors/invalid-plan-error.js';
import { parsePlan } from '../../../src/orchestration/plan/parse-plan.js';
import { planJsonSchema } from '../../../src/orchestration/plan/plan-json-schema.js';
import { PlanSchema } from '../../../src/orchestration/plan/plan-schema.js';

const task = (extra: Record<string, unknown> = {}) => ({ id: 't', prompt: 'p', ...extra });

describe('parsePlan', () => {
  it.each([
    [
      'a task without a prompt',
      { tasks: [{ id: 'a' }] },
      'task `a`, field `tasks[0].prompt`: is required, got nothing',
    ],
    [
      'a dependency that is not a string',
      { tasks: [task(), task({ id: 'b', dependsOn: ['t', 7] })] },
      'task `b`, field `tasks[1].dependsOn[1]`: expected a task id (a string), got `7` (number)',
    ],
    [
      'an id with a slash',
      { tasks: [task({ id: 'a/b' })] },
      'task `a/b`, field `tasks[0].id`: expected a task id of up to 64 letters, digits, `_` and `-`, got `"a/b"` (string)',
    ],
    [
      'a task without an id',
      { tasks: [{ prompt: 'p' }] },
      'task `#0`, field `tasks[0].id`: is required, got nothing',
    ],
    [
      'a fractional priority',
      { tasks: [task({ priority: 1.5 })] },
      'task `t`, field `tasks[0].priority`: expected an integer, got `1.5` (number)',
    ],
    [
      'zero retry attempts',
      { tasks: [task({ retry: { attempts: 0 } })] },
      'task `t`, field `tasks[0].retry.attempts`: expected a positive integer, got `0` (number)',
    ],
    [
      'a negative timeout',
      { tasks: [task({ timeoutMs: -5 })] },
      'task `t`, field `tasks[0].timeoutMs`: expected a positive integer, got `-5` (number)',
    ],
    [
      'a misspelt task field',
      { tasks: [task({ dependOn: ['x'] })] },
      'task `t`, field `tasks[0].dependOn`: unknown key (did you mean `dependsOn`?), got `["x"]` (array)',
    ],
    [
      'a misspelt query option group key',
      { defaults: { timeouts: { totalMS: 5 } }, tasks: [task()] },
      'field `defaults.timeouts.totalMS`: unknown key (did you mean `totalMs`?), got `5` (number)',
    ],
    [
      'a misspelt task retry key',
      { tasks: [task({ retry: { attempt: 2 } })] },
      'task `t`, field `tasks[0].retry.attempt`: unknown key (did you mean `attempts`?), got `2` (number)',
    ],
    [
      'an invalid query option of a task',
      { tasks: [task({ options: { maxTurns: -1 } })] },
      'task `t`, field `tasks[0].options.maxTurns`: expected a positive integer, got `-1` (number)',
    ],
    [
      'a fallback model equal to the model',
      { tasks: [task({ options: { model: 'opus', fallbackModel: 'opus' } })] },
      'task `t`, field `tasks[0].options.fallbackModel`: expected fallback models that differ from `model` (opus), got `"opus"` (string)',
    ],
    [
      'an API key in a plan',
      { defaults: { apiKey: 'sk-secret' }, tasks: [task()] },
      'field `defaults.apiKey`: unknown key, got [redacted]',
    ],
    [
      'zero workers',
      { workers: 0, tasks: [task()] },
      'field `workers`: expected a positive integer, got `0` (number)',
    ],
    ['no tasks', { tasks: [] }, 'field `tasks`: expected at least one task, got `[]` (array)'],
    ['not an object', 'tasks', 'expected an object, got `"tasks"` (string)'],
  ])('rejects %s with one clear message', (_name, input, message) => {
    let error: unknown;
    try {
      parsePlan(input, { source: 'plan.yaml' });
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(InvalidPlanError);
    expect((error as InvalidPlanError).message).toBe(`Invalid plan (plan.yaml): ${message}`);
    expect((error as InvalidPlanError).code).toBe('INVALID_PLAN');
  });

  it('fills task defaults and keeps query options as written', () => {
    const plan = parsePlan({ defaults: { retry: { maxAttempts: 2 } }, tasks: [task()] });
    expect(plan).toEqual({
      defaults: { retry: { maxAttempts: 2 } },
      tasks: [{ id: 't', prompt: 'p', dependsOn: [], priority: 0, worktree: false }],
    });
  });

  it('is idempotent, so a loaded plan can be passed to runTaskQueue', () => {
    const once = parsePlan({ tasks: [task({ options: { model: 'sonnet' } })] });
    expect(parsePlan(once)).toEqual(once);
  });

  it('has a JSON schema for structured output', () => {
    expect(() => z.toJSONSchema(PlanSchema)).not.toThrow();
    const schema = planJsonSchema() as {
      required: string[];
      properties: { tasks: { items: { required: string[]; properties: object } } };
    };
    expect(schema.required).toEqual(['tasks']);
    expect(schema.properties.tasks.items.required).toEqual(['id', 'prompt']);
    expect(Object.keys(schema.properties.tasks.items.properties)).toContain('dependsOn');
  });
});
