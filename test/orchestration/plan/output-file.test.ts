import { describe, expect, it } from 'vitest';
import { InvalidPlanError } from '../../../src/orchestration/plan/errors/invalid-plan-error.js';
import { PlanGraphError } from '../../../src/orchestration/plan/errors/plan-graph-error.js';
import { parsePlan } from '../../../src/orchestration/plan/parse-plan.js';

const planWith = (outputFile: unknown) => ({
  tasks: [
    { id: 'ok', prompt: 'fine' },
    { id: 'writer', prompt: 'write', outputFile },
  ],
});

function refusal(outputFile: unknown): InvalidPlanError {
  try {
    parsePlan(planWith(outputFile));
  } catch (error) {
    if (error instanceof InvalidPlanError) return error;
    throw error;
  }
  throw new Error(`expected outputFile ${JSON.stringify(outputFile)} to be refused`);
}

describe('a task outputFile', () => {
  it.each([
    ['a parent directory', '../x', 'no `..` segment', '`"../x"` (string)'],
    ['a parent directory inside', 'tasks/../../x', 'no `..` segment', '`"tasks/../../x"`'],
    ['a harmless-looking `..`', 'a/../b.md', 'no `..` segment', '`"a/../b.md"`'],
    ['an absolute path', '/abs/x', 'not an absolute one', '`"/abs/x"`'],
    ['a Windows drive', 'C:/x', 'not an absolute one', '`"C:/x"`'],
    ['backslashes to escape', '..\\..\\x', 'not `\\`', '(string)'],
    ['a backslash anywhere', 'tasks\\a.md', 'not `\\`', '(string)'],
    ['a NUL byte', 'a\u0000.md', 'without NUL bytes', '`"a\\u0000.md"`'],
    ['an empty name', '', 'non-empty', '`""` (string)'],
    ['a blank name', '   ', 'non-empty', '(string)'],
    ['the directory itself', '.', 'not a directory', '`"."`'],
    ['a directory', 'tasks/', 'not a directory', '`"tasks/"`'],
    ['the report itself', './report.json', 'the run report itself', '`"./report.json"`'],
    ['the report in capitals', 'REPORT.json', 'the run report itself', '`"REPORT.json"`'],
    ['not a string', 7, 'expected a relative file path', '`7` (number)'],
  ])('refuses %s, naming the task and the value', (_name, outputFile, message, received) => {
    const error = refusal(outputFile);
    expect(error.issues[0]).toMatchObject({ path: 'tasks[1].outputFile', taskId: 'writer' });
    expect(error.message).toContain('task `writer`, field `tasks[1].outputFile`: ');
    expect(error.message).toContain(message);
    expect(error.message).toContain(received);
    expect(error.message).toContain(', got `');
  });

  it.each([
    'out.md',
    'nested/deep/b.txt',
    './a.md',
    'a..b/c.md',
    '.hidden/x',
  ])('accepts %s', (outputFile) => {
    expect(parsePlan(planWith(outputFile)).tasks[1]?.outputFile).toBe(outputFile);
  });

  it('refuses two tasks writing the same file, default names included', () => {
    const plan = {
      tasks: [
        { id: 'a', prompt: 'x' },
        { id: 'b', prompt: 'y', outputFile: './tasks//a.md' },
      ],
    };
    expect(() => parsePlan(plan)).toThrow(PlanGraphError);
    expect(() => parsePlan(plan)).toThrow(
      'Tasks `a` (tasks[0]) and `b` (tasks[1]) would both write their output to `tasks/a.md`',
    );
  });

  it.each([
    [
      'a file inside another task’s file',
      [{ id: 'b' }, { id: 'a', outputFile: 'tasks/b.md/c.md' }],
    ],
    [
      'a file that is the folder of a default path',
      [{ id: 'a', outputFile: 'tasks' }, { id: 'b' }],
    ],
    ['a file inside report.json', [{ id: 'a', outputFile: 'report.json/x.md' }]],
    ['ids differing only in case', [{ id: 'A' }, { id: 'a' }]],
  ])('refuses %s before anything runs', (_name, tasks) => {
    const plan = { tasks: tasks.map((task) => ({ prompt: 'p', ...task })) };
    expect(() => parsePlan(plan)).toThrow(PlanGraphError);
  });
});
