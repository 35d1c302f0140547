import { describe, expect, it } from 'vitest';
import { parsePlan } from '../../../src/orchestration/plan/parse-plan.js';
import type { PlanInput } from '../../../src/orchestration/plan/plan-schema.js';
import { planChanges } from '../../../src/orchestration/task-queue/plan-changes.js';
import { planHashes } from '../../../src/orchestration/task-queue/plan-hash.js';

const hashes = (plan: PlanInput) => planHashes(parsePlan(plan));
const base: PlanInput = {
  name: 'p',
  tasks: [
    { id: 'a', prompt: 'A' },
    { id: 'b', prompt: 'B', dependsOn: ['a'] },
  ],
};

describe('planHashes', () => {
  it('hashes equal plans alike: key order, written defaults, name and workers do not count', () => {
    const same = hashes({
      workers: 7,
      name: 'other name',
      tasks: [
        { prompt: 'A', id: 'a', dependsOn: [], priority: 0 },
        { dependsOn: ['a'], prompt: 'B', id: 'b', worktree: false },
      ],
    });
    expect(same).toEqual(hashes(base));
    expect(hashes(base).planHash).toMatch(/^[0-9a-f]{64}$/);
  });

  it.each([
    ['a prompt', { ...base, tasks: [{ id: 'a', prompt: 'A!' }, base.tasks[1]!] }, ['a']],
    ['a dependency', { ...base, tasks: [base.tasks[0]!, { id: 'b', prompt: 'B' }] }, ['b']],
    [
      'task options',
      { ...base, tasks: [{ id: 'a', prompt: 'A', options: { model: 'opus' } }, base.tasks[1]!] },
      ['a'],
    ],
    ['the defaults (every task)', { ...base, defaults: { maxTurns: 3 } }, ['a', 'b']],
  ] as const)('tells a change of %s, per task', (_what, plan, changed) => {
    const before = hashes(base);
    const after = hashes(plan as PlanInput);
    expect(after.planHash).not.toBe(before.planHash);
    expect(planChanges(before.tasks, after.tasks)).toEqual({ added: [], removed: [], changed });
  });

  it('keeps secrets out: only hashes of an env', () => {
    const secret = 'ghp_secretvalue1234567890';
    const result = hashes({ ...base, defaults: { env: { GITHUB_TOKEN: secret } } });
    expect(JSON.stringify(result)).not.toContain(secret);
  });
});
