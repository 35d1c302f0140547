import { describe, expect, it } from 'vitest';
import { buildTaskPrompt } from '../../../src/orchestration/task-queue/build-task-prompt.js';
import { taskQueryOptions } from '../../../src/orchestration/task-queue/task-query-options.js';

describe('buildTaskPrompt', () => {
  it.each([
    ['no dependencies', 'Do it.', [], 'Do it.'],
    [
      'one context block per dependency, in order',
      'Merge.',
      [
        { id: 'a', output: 'A' },
        { id: 'b', output: 'B' },
      ],
      'Merge.\n\n<context source="a">\nA\n</context>\n<context source="b">\nB\n</context>',
    ],
    [
      'placeholders replaced and not repeated',
      'Fix {{deps.a}} then {{ deps.a }}.',
      [{ id: 'a', output: 'A' }],
      'Fix A then A.',
    ],
    [
      'replacement patterns in outputs kept as text',
      'Use {{deps.a}}',
      [{ id: 'a', output: "cost $& and $1 and $'" }],
      "Use cost $& and $1 and $'",
    ],
  ])('builds the prompt with %s', (_name, prompt, deps, expected) => {
    expect(buildTaskPrompt(prompt, deps)).toBe(expected);
  });
});

describe('taskQueryOptions', () => {
  it('merges plan defaults and task options one level deep, then timeoutMs and cwd', () => {
    expect(
      taskQueryOptions(
        {
          model: 'sonnet',
          retry: { maxAttempts: 2 },
          timeouts: { idleMs: 5_000 },
          env: { A: '1' },
        },
        {
          options: { maxTurns: 1, retry: { initialDelayMs: 10 }, env: { B: '2' } },
          timeoutMs: 60_000,
        },
        '/tmp/wt',
      ),
    ).toEqual({
      model: 'sonnet',
      maxTurns: 1,
      retry: { maxAttempts: 2, initialDelayMs: 10 },
      timeouts: { idleMs: 5_000, totalMs: 60_000 },
      env: { A: '1', B: '2' },
      cwd: '/tmp/wt',
    });
  });
});
