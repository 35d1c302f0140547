import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { runTaskQueue } from '../../../src/orchestration/task-queue/run-task-queue.js';
import { createWorktreeManager } from '../../../src/orchestration/worktree/create-worktree-manager.js';
import { activeRuns } from '../../../src/orchestration/worktree/run-marker.js';
import type { Runtime } from '../../../src/runtime/create-runtime.js';
import { createTempRepo } from '../worktree/git-repo.js';
import { scriptedRuntime } from './harness.js';

let temp: Awaited<ReturnType<typeof createTempRepo>>;
let runtime: Runtime | undefined;
beforeEach(async () => {
  temp = await createTempRepo();
});
afterEach(async () => {
  await runtime?.stop({ deadlineMs: 100 });
  await temp.remove();
});

/** Each task writes `<prompt>.txt` in its working directory and reports what else it sees. */
function writingRuntime() {
  const seen: Record<string, { cwd: string | undefined; others: boolean }> = {};
  const made = scriptedRuntime((prompt, _n, cwd) => {
    if (cwd) {
      writeFileSync(join(cwd, `${prompt}.txt`), prompt);
      const other = prompt === 'one' ? 'two' : 'one';
      seen[prompt] = { cwd, others: existsSync(join(cwd, `${other}.txt`)) };
    } else {
      seen[prompt] = { cwd, others: false };
    }
    return { delayMs: 20 };
  });
  runtime = made.runtime;
  return { ...made, seen };
}

describe('runTaskQueue with worktree tasks', () => {
  it('runs each worktree task in its own worktree and branch, removed after the run', async () => {
    const { runtime: rt, seen } = writingRuntime();
    const run = runTaskQueue(
      rt,
      {
        tasks: [
          { id: 'one', prompt: 'one', worktree: true },
          { id: 'two', prompt: 'two', worktree: true },
          { id: 'plain', prompt: 'plain' },
        ],
      },
      { workers: 3, cwd: temp.repo, worktreeRoot: temp.worktreeRoot, runId: 'wt' },
    );
    const summary = await run.result;
    expect(summary.status).toBe('succeeded');
    expect(seen.one).toEqual({ cwd: join(temp.worktreeRoot, 'wt', 'one'), others: false });
    expect(seen.two).toEqual({ cwd: join(temp.worktreeRoot, 'wt', 'two'), others: false });
    expect(seen.plain!.cwd).toBeUndefined();
    expect(summary.tasks[0]!.worktree).toEqual({
      path: join(temp.worktreeRoot, 'wt', 'one'),
      branch: 'claude-actors/wt/one',
    });
    expect(temp.branches()).toEqual(['main']);
    expect(temp.worktrees()).toEqual([temp.repo]);
    expect(existsSync(join(temp.worktreeRoot, 'wt'))).toBe(false);
    expect(existsSync(join(temp.repo, 'one.txt'))).toBe(false);
  });

  it('keeps worktrees and branches with keepWorktrees', async () => {
    const { runtime: rt } = writingRuntime();
    const run = runTaskQueue(
      rt,
      { tasks: [{ id: 'one', prompt: 'one', worktree: true }] },
      { cwd: temp.repo, worktreeRoot: temp.worktreeRoot, runId: 'keep', keepWorktrees: true },
    );
    const summary = await run.result;
    const path = summary.tasks[0]!.worktree!.path;
    expect(existsSync(join(path, 'one.txt'))).toBe(true);
    expect(temp.branches()).toEqual(['claude-actors/keep/one', 'main']);
  });

  it('fails a task whose worktree cannot be created, leaving no branch', async () => {
    const { runtime: rt } = writingRuntime();
    const run = runTaskQueue(
      rt,
      {
        tasks: [
          { id: 'one', prompt: 'one', worktree: true },
          { id: 'after', prompt: 'after', dependsOn: ['one'] },
        ],
      },
      // No commit to branch from in a path that is not a repository.
      { cwd: temp.worktreeRoot.replace(/worktrees$/, ''), worktreeRoot: temp.worktreeRoot },
    );
    const summary = await run.result;
    expect(summary.tasks[0]).toMatchObject({ status: 'failed', errorCode: 'WORKTREE_FAILED' });
    expect(summary.tasks[1]).toMatchObject({ status: 'skipped', skippedBecause: 'one' });
    expect(temp.branches()).toEqual(['main']);
  });

  it('cleans up what a crashed earlier run left before it starts', async () => {
    const crashed = await createWorktreeManager({
      repo: temp.repo,
      runId: 'crashed',
      root: temp.worktreeRoot,
    });
    await crashed.acquire('x');
    activeRuns.delete('crashed');
    const { runtime: rt } = writingRuntime();
    const run = runTaskQueue(
      rt,
      { tasks: [{ id: 'one', prompt: 'one', worktree: true }] },
      { cwd: temp.repo, worktreeRoot: temp.worktreeRoot, runId: 'next', keepWorktrees: true },
    );
    await run.result;
    expect(temp.branches()).toEqual(['claude-actors/next/one', 'main']);
  });
});
