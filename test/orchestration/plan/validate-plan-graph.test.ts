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

describe('validatePlanGraph, output paths that clash', () => {
  const problemsOf = (tasks: { id: string; prompt: string; outputFile?: string }[]) => {
    try {
      validatePlanGraph({ tasks });
    } catch (error) {
      expect(error).toBeInstanceOf(PlanGraphError);
      return (error as PlanGraphError).problems;
    }
    throw new Error('expected the plan to be refused');
  };

  it('refuses a task writing inside another task’s file, naming both tasks and paths', () => {
    const problems = problemsOf([
      { id: 'b', prompt: 'x' },
      { id: 'a', prompt: 'y', outputFile: 'tasks/b.md/c.md' },
    ]);
    expect(problems).toEqual([
      {
        problem: 'output_path_conflict',
        taskId: 'a',
        path: 'tasks[1].outputFile',
        message:
          'Task `a` (tasks[1]) would write `tasks/b.md/c.md` inside `tasks/b.md`, which task ' +
          '`b` (tasks[0]) writes as a file: only one of them can exist. Give one of them ' +
          'another outputFile.',
      },
    ]);
  });

  it('refuses a task file that is the folder of later default paths, on the later task', () => {
    const problems = problemsOf([
      { id: 'x', prompt: 'x', outputFile: 'tasks' },
      { id: 'y', prompt: 'y' },
    ]);
    expect(problems).toMatchObject([
      { problem: 'output_path_conflict', taskId: 'y', path: 'tasks[1].outputFile' },
    ]);
    expect(problems[0]!.message).toContain('`tasks/y.md` inside `tasks`, which task `x`');
  });

  it('refuses a folder file that comes after the task writing inside it, on the later task', () => {
    const problems = problemsOf([
      { id: 'y', prompt: 'y' },
      { id: 'x', prompt: 'x', outputFile: './Tasks' },
    ]);
    expect(problems).toMatchObject([
      { problem: 'output_path_conflict', taskId: 'x', path: 'tasks[1].outputFile' },
    ]);
    expect(problems[0]!.message).toContain(
      'Task `y` (tasks[0]) would write `tasks/y.md` inside `Tasks`, which task `x` (tasks[1])',
    );
  });

  it('refuses an output inside report.json, the report’s own file', () => {
    const problems = problemsOf([{ id: 'a', prompt: 'x', outputFile: 'report.json/x.md' }]);
    expect(problems).toMatchObject([
      { problem: 'output_path_conflict', taskId: 'a', path: 'tasks[0].outputFile' },
    ]);
    expect(problems[0]!.message).toContain(
      'Task `a` (tasks[0]) would write `report.json/x.md` inside `report.json`, which the run report',
    );
  });

  it('compares names ignoring case: ids `A` and `a` share one default file', () => {
    const problems = problemsOf([
      { id: 'A', prompt: 'x' },
      { id: 'a', prompt: 'y' },
    ]);
    expect(problems).toEqual([
      {
        problem: 'duplicate_output_file',
        taskId: 'a',
        path: 'tasks[1].outputFile',
        message:
          'Tasks `A` (tasks[0]) and `a` (tasks[1]) would both write their output to ' +
          '`tasks/A.md` and `tasks/a.md`, the same file where names ignore case. Give one of ' +
          'them another outputFile.',
      },
    ]);
  });

  it('compares names NFC-normalised, and against report.json in any case', () => {
    const composed = 'caf\u00e9';
    const decomposed = 'cafe\u0301';
    expect(
      problemsOf([
        { id: 'a', prompt: 'x', outputFile: `${composed}.md` },
        { id: 'b', prompt: 'y', outputFile: `${decomposed}.md` },
      ]),
    ).toMatchObject([{ problem: 'duplicate_output_file', taskId: 'b' }]);
    const [issue] = problemsOf([{ id: 'a', prompt: 'x', outputFile: 'REPORT.json' }]);
    expect(issue).toMatchObject({ problem: 'duplicate_output_file', taskId: 'a' });
    expect(issue!.message).toContain('`report.json` and `REPORT.json`');
    expect(issue!.message).toContain("the run report's own file");
  });

  it('accepts folders that merely share a prefix of characters', () => {
    expect(
      validatePlanGraph({
        tasks: [
          { id: 'a', prompt: 'x', outputFile: 'tasks' },
          { id: 'b', prompt: 'y', outputFile: 'tasks2/b.md' },
          { id: 'c', prompt: 'z', outputFile: 'report.json.d/c.md' },
        ],
      }),
    ).toEqual(['a', 'b', 'c']);
  });
});
