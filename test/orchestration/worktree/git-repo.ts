import { execFileSync } from 'node:child_process';
import { mkdtemp, realpath, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** Runs git synchronously in `cwd` (test set-up and assertions only). */
export function gitSync(cwd: string, ...args: string[]): string {
  return execFileSync('git', args, { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
}

/** A throw-away git repository with one commit, and a directory for its worktrees. */
export async function createTempRepo(): Promise<{
  repo: string;
  worktreeRoot: string;
  branches(): string[];
  worktrees(): string[];
  remove(): Promise<void>;
}> {
  const base = await realpath(await mkdtemp(join(tmpdir(), 'task-queue-git-')));
  const repo = join(base, 'repo');
  gitSync(base, 'init', '-q', '-b', 'main', repo);
  await writeFile(join(repo, 'README.md'), '# test\n');
  gitSync(repo, 'add', '.');
  gitSync(
    repo,
    '-c',
    'user.name=Test',
    '-c',
    'user.email=test@example.com',
    'commit',
    '-qm',
    'init',
  );
  return {
    repo,
    worktreeRoot: join(base, 'worktrees'),
    branches: () =>
      gitSync(repo, 'for-each-ref', '--format=%(refname:short)', 'refs/heads/')
        .split('\n')
        .filter(Boolean),
    worktrees: () =>
      gitSync(repo, 'worktree', 'list', '--porcelain')
        .split('\n')
        .filter((line) => line.startsWith('worktree '))
        .map((line) => line.slice('worktree '.length)),
    remove: () => rm(base, { recursive: true, force: true }),
  };
}
