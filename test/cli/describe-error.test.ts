import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { describeError } from '../../src/cli/describe-error.js';
import { InvalidOptionsError } from '../../src/core/validation/invalid-options-error.js';
import { loadPlan } from '../../src/orchestration/plan/load-plan.js';

const dir = mkdtempSync(join(tmpdir(), 'describe-error-'));

async function problemsOfPlan(name: string, text: string | undefined): Promise<string[]> {
  const path = join(dir, name);
  if (text !== undefined) writeFileSync(path, text);
  try {
    await loadPlan(path);
  } catch (error) {
    return describeError(error);
  }
  throw new Error('the plan loaded');
}

async function problemsOfPlanWithSource(path: string, text: string): Promise<string[]> {
  writeFileSync(path, text);
  try {
    await loadPlan(path);
  } catch (error) {
    return describeError(error, { source: path });
  }
  throw new Error('the plan loaded');
}

describe('describeError', () => {
  it('gives every problem of an invalid plan, each with its hint', async () => {
    const problems = await problemsOfPlan(
      'many.yaml',
      'tasks:\n  - id: a\n    prompt: x\n    dependsOn: 5\n  - id: b\n    promt: y\n',
    );
    expect(problems).toEqual([
      expect.stringMatching(/task `a`, field `tasks\[0\]\.dependsOn`: .*got `5` \(number\)\n/),
      expect.stringMatching(/task `b`, field `tasks\[1\]\.prompt`: is required/),
      expect.stringMatching(/field `tasks\[1\]\.promt`: unknown key \(did you mean `prompt`\?\)/),
    ]);
    for (const problem of problems) expect(problem).toContain(`invalid plan (${dir}/many.yaml)`);
    expect(problems.join('\n')).not.toContain('more problem');
  });

  it('shows where each problem is in the file: the value, the unknown key, the entry missing a field', async () => {
    const path = join(dir, 'frames.yaml');
    const [wrong, missing, unknown] = await problemsOfPlan(
      'frames.yaml',
      'tasks:\n  - id: a\n    prompt: x\n    dependsOn: 5\n  - id: b\n    promt: y\n',
    );
    expect(wrong).toMatch(
      new RegExp(`\\n${path}:4:16\\n  4 \\|     dependsOn: 5\\n    \\| {16}\\^$`),
    );
    expect(missing).toMatch(new RegExp(`\\n${path}:5:5\\n  5 \\|   - id: b\\n`));
    expect(unknown).toMatch(new RegExp(`\\n${path}:6:5\\n  6 \\|     promt: y\\n`));
  });

  it('shows where each dependency-graph problem is in a JSON plan, with a did-you-mean', async () => {
    const path = join(dir, 'graph.json');
    const [problem, second, ...rest] = await problemsOfPlanWithSource(
      path,
      '{"tasks": [\n  {"id": "a", "prompt": "x", "dependsOn": ["zz"]},\n  {"id": "outline", "prompt": "y", "dependsOn": ["outlin"]}\n]}\n',
    );
    expect(rest).toEqual([]);
    expect(problem).toContain('depends on `zz`');
    expect(problem).not.toContain('Did you mean');
    expect(second).toMatch(/depends on `outlin`.* Did you mean `outline`\?\n/);
    expect(second).toContain(`\n${path}:3:50\n`);
    const [typo] = await problemsOfPlanWithSource(
      path,
      '{"tasks": [\n  {"id": "outline", "prompt": "y"},\n  {"id": "b", "prompt": "x", "dependsOn": ["outlin"]}\n]}\n',
    );
    expect(typo).toMatch(/depends on `outlin`.* Did you mean `outline`\?\n/);
    expect(problem).toContain(
      `\n${path}:2:44\n  2 |   {"id": "a", "prompt": "x", "dependsOn": ["zz"]},\n`,
    );
  });

  it('keeps the code frame of a YAML syntax error', async () => {
    const [problem, ...rest] = await problemsOfPlan(
      'syntax.yaml',
      'tasks:\n  - id: a\n    prompt: [x\n  - id: b\n',
    );
    expect(rest).toEqual([]);
    expect(problem).toMatch(/not valid YAML: .*line 4, column 3:\n/);
    expect(problem).toContain('    prompt: [x\n  - id: b\n  ^');
  });

  it('says a missing plan file in one line', async () => {
    const path = join(dir, 'absent.yaml');
    expect(await problemsOfPlan('absent.yaml', undefined)).toEqual([
      `plan file not found: ${path}`,
    ]);
  });

  it('gives every issue of invalid options', () => {
    const error = new InvalidOptionsError([
      { path: 'maxTurns', message: 'expected a positive integer', received: '`-1` (number)' },
      { path: 'modle', message: 'unknown key (did you mean `model`?)', received: '`"x"` (string)' },
    ]);
    expect(describeError(error)).toEqual([
      'invalid option `maxTurns`: expected a positive integer, got `-1` (number)',
      'invalid option `modle`: unknown key (did you mean `model`?), got `"x"` (string)',
    ]);
  });
});
