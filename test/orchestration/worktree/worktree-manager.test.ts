import { existsSync } from 'node:fs';
import { mkdir, readdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { cleanupWorktrees } from '../../../src/orchestration/worktree/cleanup-worktrees.js';
import { createWorktreeManager } from '../../../src/orchestration/worktree/create-worktree-manager.js';
import { WorktreeError } from '../../../src/orchestration/worktree/errors/worktree-error.js';
import { activeRuns, markerDir } from '../../../src/orchestration/worktree/run-marker.js';
import { createTempRepo, gitSync } from './git-repo.js';

let temp: Awaited<ReturnType<typeof createTempRepo>>;
beforeEach(async () => {
  temp = await createTempRepo();
});
afterEach(async () => {
  await temp.remove();
});

describe('createWorktreeManager', () => {
  it('creates one isolated worktree per task on its own branch, and removes them', async () => {
    const manager = await createWorktreeManager({
      repo: temp.repo,
      runId: 'r1',
      root: temp.worktreeRoot,
    });
    const a = await manager.acquire('a');
    const b = await manager.acquire('b');
    expect(await manager.acquire('a')).toBe(a);
    expect(a).toEqual({
      taskId: 'a',
      path: join(temp.worktreeRoot, 'r1', 'a'),
      branch: 'claude-actors/r1/a',
    });
    expect(temp.branches()).toEqual(['claude-actors/r1/a', 'claude-actors/r1/b', 'main']);
    expect(temp.worktrees()).toEqual([temp.repo, a.path, b.path]);
    expect(existsSync(join(a.path, 'README.md'))).toBe(true);
    await writeFile(join(a.path, 'only-in-a.txt'), 'a');
    expect(existsSync(join(b.path, 'only-in-a.txt'))).toBe(false);
    expect(existsSync(join(temp.repo, 'only-in-a.txt'))).toBe(false);
    expect(await readdir(await markerDir(temp.repo))).toEqual(['r1.json']);

    const { errors } = await manager.dispose();
    expect(errors).toEqual([]);
    expect(temp.branches()).toEqual(['main']);
    expect(temp.worktrees()).toEqual([temp.repo]);
    expect(existsSync(a.path)).toBe(false);
    expect(await readdir(await markerDir(temp.repo))).toEqual([]);
  });

  it('keeps worktrees on request, and cleanupWorktrees leaves kept ones unless told', async () => {
    const manager = await createWorktreeManager({
      repo: temp.repo,
      runId: 'kept',
      root: temp.worktreeRoot,
    });
    const a = await manager.acquire('a');
    await manager.dispose({ keep: true });
    expect(existsSync(a.path)).toBe(true);
    expect(temp.branches()).toContain('claude-actors/kept/a');
    expect((await cleanupWorktrees(temp.repo)).worktrees).toEqual([]);
    expect(existsSync(a.path)).toBe(true);
    const cleaned = await cleanupWorktrees(temp.repo, { all: true });
    expect(cleaned).toMatchObject({
      runs: ['kept'],
      worktrees: [a.path],
      branches: ['claude-actors/kept/a'],
    });
    expect(temp.branches()).toEqual(['main']);
  });

  it('deletes the branch again when the worktree cannot be added', async () => {
    const manager = await createWorktreeManager({
      repo: temp.repo,
      runId: 'bad',
      root: temp.worktreeRoot,
    });
    const inTheWay = join(temp.worktreeRoot, 'bad', 'a');
    await mkdir(inTheWay, { recursive: true });
    await writeFile(join(inTheWay, 'mine.txt'), 'not yours');
    const failure = manager.acquire('a');
    await expect(failure).rejects.toThrow(WorktreeError);
    await expect(failure).rejects.toMatchObject({ taskId: 'a', code: 'WORKTREE_FAILED' });
    await expect(failure).rejects.toThrow(
      /Adding worktree .*bad\/a \(branch claude-actors\/bad\/a\) failed for task `a`/,
    );
    expect(temp.branches()).toEqual(['main']);
    expect(temp.worktrees()).toEqual([temp.repo]);
    // What was there before is left alone.
    expect(existsSync(join(inTheWay, 'mine.txt'))).toBe(true);
    await manager.dispose();
  });

  it('fails clearly outside a git repository', async () => {
    await expect(
      createWorktreeManager({ repo: temp.worktreeRoot.replace(/worktrees$/, ''), runId: 'x' }),
    ).rejects.toThrow(/git rev-parse --show-toplevel` failed/);
  });
});

describe('cleanupWorktrees', () => {
  it('removes what a run that crashed mid-run left behind', async () => {
    const manager = await createWorktreeManager({
      repo: temp.repo,
      runId: 'crashed',
      root: temp.worktreeRoot,
    });
    const a = await manager.acquire('a');
    // The owner is gone without disposing: as after a crash of the process.
    activeRuns.delete('crashed');
    const cleaned = await cleanupWorktrees(temp.repo);
    expect(cleaned).toMatchObject({ runs: ['crashed'], worktrees: [a.path], errors: [] });
    expect(temp.branches()).toEqual(['main']);
    expect(temp.worktrees()).toEqual([temp.repo]);
  });

  it('removes the branches of a run whose process died, found by its marker', async () => {
    gitSync(temp.repo, 'branch', 'claude-actors/dead/a');
    const dir = await markerDir(temp.repo);
    await mkdir(dir, { recursive: true });
    const { hostname } = await import('node:os');
    // A pid far above any pid_max in use: no such process.
    await writeFile(
      join(dir, 'dead.json'),
      JSON.stringify({ runId: 'dead', pid: 2 ** 22 + 17, hostname: hostname(), startedAt: 0 }),
    );
    const cleaned = await cleanupWorktrees(temp.repo);
    expect(cleaned).toMatchObject({ runs: ['dead'], branches: ['claude-actors/dead/a'] });
    expect(temp.branches()).toEqual(['main']);
    expect(await readdir(dir)).toEqual([]);
  });

  it('never touches a run that is still active', async () => {
    const manager = await createWorktreeManager({
      repo: temp.repo,
      runId: 'live',
      root: temp.worktreeRoot,
    });
    const a = await manager.acquire('a');
    expect((await cleanupWorktrees(temp.repo, { all: true })).runs).toEqual([]);
    expect(existsSync(a.path)).toBe(true);
    await manager.dispose();
  });
});
