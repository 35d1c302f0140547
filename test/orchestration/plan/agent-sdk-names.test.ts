import { describe, expect, it } from 'vitest';
import { parsePlan } from '../../../src/orchestration/plan/parse-plan.js';

describe('Agent SDK option names in a plan', () => {
  it.each([
    [
      'additionalDirectories',
      ['/x'],
      'Agent SDK option `additionalDirectories`: use `addDirs` here',
    ],
    ['persistSession', false, 'Agent SDK option `persistSession`: use `noSessionPersistence` here'],
    ['canUseTool', 'x', 'Agent SDK option `canUseTool`: it holds functions, which no file can'],
    ['hooks', {}, 'give it to `runQuery`, `runtime.query` or a session'],
  ])('point %s in task options to ours', (key, value, message) => {
    const plan = { tasks: [{ id: 'a', prompt: 'x', options: { [key]: value } }] };
    expect(() => parsePlan(plan)).toThrow(message);
  });

  it('point an SDK name in the defaults to ours', () => {
    const plan = {
      defaults: { pathToClaudeCodeExecutable: '/c' },
      tasks: [{ id: 'a', prompt: 'x' }],
    };
    expect(() => parsePlan(plan)).toThrow(
      'field `defaults.pathToClaudeCodeExecutable`: Agent SDK option `pathToClaudeCodeExecutable`: use `executable` here',
    );
  });
});
