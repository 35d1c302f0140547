import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadPlan } from '../../src/orchestration/plan/load-plan.js';
import { runTaskQueue } from '../../src/orchestration/task-queue/run-task-queue.js';
import { createRuntime } from '../../src/runtime/create-runtime.js';
import { apiError, text } from '../../src/testing/builders.js';
import { useSimulator } from '../helpers/integration.js';
import { createTempRepo } from '../orchestration/worktree/git-repo.js';

const sim = useSimulator();

describe('the task queue (real CLI against the simulator)', () => {
  it('runs the example diamond plan with 2 workers and writes its report', async () => {
    const runtime = createRuntime({
      defaults: { ...sim.env.options, retry: { maxAttempts: 2, initialDelayMs: 100, jitter: 0 } },
    });
    sim.env.simulator
      .on('Outline a short guide', text('1. Why 2. How 3. When'))
      .on('Write the introduction', text('INTRO: trees restart what fails.'))
      .on('Write two short examples', text('EXAMPLES: one_for_one, one_for_all.'))
      .on('Assemble the guide', text('THE GUIDE'));
    const dir = await mkdtemp(join(tmpdir(), 'task-queue-it-'));
    try {
      const plan = await loadPlan('examples/plans/diamond.yaml');
      const run = runTaskQueue(runtime, plan, { outputDir: dir });
      const summary = await run.result;
      expect(summary.status).toBe('succeeded');
      expect(summary.counts).toMatchObject({ succeeded: 4, total: 4 });
      expect(summary.tasks.map((t) => t.output)).toEqual([
        '1. Why 2. How 3. When',
        'INTRO: trees restart what fails.',
        'EXAMPLES: one_for_one, one_for_all.',
        'THE GUIDE',
      ]);
      const prompts = sim.env.simulator.requests.map((r) => r.prompt);
      expect(prompts[0]).toMatch(/^Outline a short guide/);
      // The placeholder was filled with the outline's output.
      expect(prompts.find((p) => p.startsWith('Write the introduction'))).toContain(
        '1. Why 2. How 3. When',
      );
      const assemble = prompts.at(-1)!;
      expect(assemble).toContain('<context source="intro">\nINTRO: trees restart what fails.\n');
      expect(assemble).toContain('<context source="examples">\nEXAMPLES: one_for_one');
      expect(summary.totalCostUsd).toBeGreaterThan(0);
      expect(await readFile(join(dir, 'tasks', 'assemble.md'), 'utf8')).toBe('THE GUIDE\n');
      const report = JSON.parse(await readFile(join(dir, 'report.json'), 'utf8'));
      expect(report.counts.succeeded).toBe(4);
    } finally {
      await runtime.stop();
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('runs a task in its git worktree and skips the dependents of a failed one', async () => {
    const runtime = createRuntime({ defaults: { ...sim.env.options, retry: { maxAttempts: 1 } } });
    const temp = await createTempRepo();
    sim.env.simulator
      .on('in the worktree', text('worked in isolation'))
      .on('refused', apiError(401));
    try {
      const run = runTaskQueue(
        runtime,
        {
          tasks: [
            { id: 'isolated', prompt: 'Work in the worktree.', worktree: true },
            { id: 'refused', prompt: 'This request is refused.' },
            { id: 'after', prompt: 'Never asked.', dependsOn: ['refused'] },
          ],
        },
        { workers: 2, cwd: temp.repo, worktreeRoot: temp.worktreeRoot, runId: 'it' },
      );
      const summary = await run.result;
      expect(summary.tasks.map((t) => t.status)).toEqual(['succeeded', 'failed', 'skipped']);
      expect(summary.tasks[0]).toMatchObject({
        output: 'worked in isolation',
        worktree: {
          path: join(temp.worktreeRoot, 'it', 'isolated'),
          branch: 'claude-actors/it/isolated',
        },
      });
      // The CLI ran in the worktree: its environment description names it.
      const isolated = sim.env.simulator.requests.find((r) => r.prompt.includes('in the worktree'));
      expect(JSON.stringify(isolated?.body)).toContain(join(temp.worktreeRoot, 'it', 'isolated'));
      expect(summary.tasks[1]).toMatchObject({ errorCode: 'API_ERROR' });
      expect(summary.tasks[2]).toMatchObject({ skippedBecause: 'refused', attempts: 0 });
      expect(sim.env.simulator.requests.some((r) => r.prompt.includes('Never asked'))).toBe(false);
      expect(temp.branches()).toEqual(['main']);
      expect(temp.worktrees()).toEqual([temp.repo]);
    } finally {
      await runtime.stop();
      await temp.remove();
    }
  });
});
