import { describe, expect, it } from 'vitest';
import { PlanGraphError } from '../../../src/orchestration/plan/errors/plan-graph-error.js';
import { validatePlanGraph } from '../../../src/orchestration/plan/validate-plan-graph.js';

const t = (id: string, dependsOn: string[] = [], prompt = id) => ({ id, prompt, dependsOn });

describe('validatePlanGraph', () => {
  it('returns an order that runs every task after its dependencies', () => {
    expect(
      validatePlanGraph({ tasks: [t('d', ['b', 'c']), t('b', ['a']), t('c', ['a']), t('a')] }),
    ).toEqual(['a', 'b', 'c', 'd']);
  });

  it.each([
    [
      'a duplicate id',
      [t('a'), t('b'), t('a')],
      { problem: 'duplicate_id', taskId: 'a', path: 'tasks[2].id' },
      'Task id `a` is used twice, by tasks[0] and tasks[2]. Give every task its own id.',
    ],
    [
      'an unknown dependency',
      [t('a'), t('b', ['a', 'x'])],
      {
        problem: 'unknown_dependency',
        taskId: 'b',
        path: 'tasks[1].dependsOn[1]',
        dependency: 'x',
      },
      'Task `b` depends on `x` (tasks[1].dependsOn[1]), but the plan has no task with that id. Known ids: a, b.',
    ],
    [
      'a placeholder of a task it does not depend on',
      [t('a'), t('b', [], 'use {{deps.a}}')],
      { problem: 'unknown_placeholder', taskId: 'b', path: 'tasks[1].prompt', dependency: 'a' },
      'Task `b` uses {{deps.a}} in its prompt (tasks[1].prompt) but does not depend on `a`. Add `a` to its dependsOn.',
    ],
    [
      'a self-dependency',
      [t('a', ['a'])],
      { problem: 'cycle', taskId: 'a', cycle: ['a', 'a'] },
      "The plan's dependencies form a cycle: a → a (each task depends on the next). Remove one of these dependencies.",
    ],
    [
      'a longer cycle',
      [t('start'), t('a', ['start', 'b']), t('b', ['c']), t('c', ['a'])],
      { problem: 'cycle', taskId: 'a', cycle: ['a', 'b', 'c', 'a'], path: 'tasks[1].dependsOn' },
      "The plan's dependencies form a cycle: a → b → c → a (each task depends on the next). Remove one of these dependencies.",
    ],
  ])('rejects %s', (_name, tasks, fields, message) => {
    let error: unknown;
    try {
      validatePlanGraph({ tasks });
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(PlanGraphError);
    expect(error).toMatchObject({ ...fields, code: 'INVALID_PLAN_GRAPH' });
    expect((error as Error).message).toBe(message);
  });
});

describe('validatePlanGraph, several problems', () => {
  it('reports every problem of the graph at once, the first as the error itself', () => {
    const tasks = [
      t('a'),
      t('a'),
      t('b', ['x', 'a']),
      t('c', ['d'], 'use {{deps.a}}'),
      t('d', ['c']),
      { id: 'e', prompt: 'x', outputFile: 'tasks/a.md' },
    ];
    let error: PlanGraphError | undefined;
    try {
      validatePlanGraph({ tasks });
    } catch (caught) {
      error = caught as PlanGraphError;
    }
    expect(error).toBeInstanceOf(PlanGraphError);
    expect(error!.problems.map((p) => [p.problem, p.path])).toEqual([
      ['duplicate_id', 'tasks[1].id'],
      ['unknown_dependency', 'tasks[2].dependsOn[0]'],
      ['unknown_placeholder', 'tasks[3].prompt'],
      ['duplicate_output_file', 'tasks[5].outputFile'],
      ['cycle', 'tasks[3].dependsOn'],
    ]);
    expect(error!).toMatchObject({ problem: 'duplicate_id', path: 'tasks[1].id' });
    expect(error!.message).toMatch(/used twice.*\(and 4 more problem\(s\)\)$/);
    expect(error!.problems.at(-1)!.cycle).toEqual(['c', 'd', 'c']);
  });
});
