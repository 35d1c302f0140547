import { execFileSync } from 'node:child_process';
import {
  link,
  lstat,
  mkdir,
  mkdtemp,
  readdir,
  readFile,
  rm,
  symlink,
  writeFile,
} from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import {
  type LiveTaskRow,
  liveRunReport,
} from '../../../src/orchestration/report/live-run-report.js';
import { summarize } from '../../../src/orchestration/report/summarize.js';
import { writeInsideAtomically } from '../../../src/orchestration/report/write-inside-atomically.js';

let dir: string;
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

const row = (id: string, status: LiveTaskRow['status'], output?: string): LiveTaskRow => ({
  id,
  status,
  attempts: output ? 1 : 0,
  queryAttempts: 0,
  durationMs: 0,
  costUsd: 0,
  worker: undefined,
  error: undefined,
  errorCode: undefined,
  skippedBecause: undefined,
  output,
  outputFile: undefined,
  worktree: undefined,
  startedAt: undefined,
  finishedAt: undefined,
});

describe('writeInsideAtomically', () => {
  it('replaces a file by renaming a finished temporary file over it, leaving no temporary', async () => {
    dir = await mkdtemp(join(tmpdir(), 'ca-atomic-'));
    await writeFile(join(dir, 'report.json'), 'old');
    const path = await writeInsideAtomically(dir, 'report.json', 'new');
    expect(path).toBe(join(dir, 'report.json'));
    expect(await readFile(path, 'utf8')).toBe('new');
    expect(await readdir(dir)).toEqual(['report.json']);
  });

  it('refuses a link, a hard link, a named pipe or a directory in the way, leaving it', async () => {
    dir = await mkdtemp(join(tmpdir(), 'ca-atomic-'));
    await writeFile(join(dir, 'victim'), 'untouched');
    await mkdir(join(dir, 'out'));
    await symlink(join(dir, 'victim'), join(dir, 'out', 'a.md'));
    await expect(writeInsideAtomically(join(dir, 'out'), 'a.md', 'text')).rejects.toThrow(
      /Refusing to write `a.md`: it is a symbolic link/,
    );
    expect((await lstat(join(dir, 'out', 'a.md'))).isSymbolicLink()).toBe(true);
    await link(join(dir, 'victim'), join(dir, 'out', 'h.md'));
    await expect(writeInsideAtomically(join(dir, 'out'), 'h.md', 'text')).rejects.toThrow(
      /2 hard links/,
    );
    execFileSync('mkfifo', [join(dir, 'out', 'p.md')]);
    await expect(writeInsideAtomically(join(dir, 'out'), 'p.md', 'text')).rejects.toThrow(
      /not a regular file/,
    );
    expect(await readFile(join(dir, 'victim'), 'utf8')).toBe('untouched');
    await mkdir(join(dir, 'out', 'b.md'));
    await writeFile(join(dir, 'out', 'b.md', 'x'), 'x');
    await expect(writeInsideAtomically(join(dir, 'out'), 'b.md', 'text')).rejects.toThrow(
      /Refusing to write `b.md`: it is a directory/,
    );
    expect((await readdir(join(dir, 'out'))).sort()).toEqual(['a.md', 'b.md', 'h.md', 'p.md']);
    await expect(writeInsideAtomically(join(dir, 'out'), '../escape', 'x')).rejects.toThrow(
      /Refusing/,
    );
  });
});

describe('liveRunReport', () => {
  it('writes each ended task once, and the report with every task where it stands', async () => {
    dir = await mkdtemp(join(tmpdir(), 'ca-live-'));
    let tasks = [row('a', 'succeeded', 'A out'), row('b', 'running'), row('c', 'pending')];
    const errors: unknown[] = [];
    const live = liveRunReport({
      outputDir: join(dir, 'out'),
      read: () => {
        const {
          tasks: _t,
          status: _s,
          ...summary
        } = summarize({
          runId: 'r',
          startedAt: 0,
          finishedAt: 1,
          workers: ['w'],
          tasks: [],
        });
        return { summary, tasks };
      },
      onError: (error) => errors.push(error),
    });
    live.taskEnded('a');
    await live.settled();
    const read = async () => JSON.parse(await readFile(join(dir, 'out', 'report.json'), 'utf8'));
    expect((await read()).status).toBe('running');
    expect((await read()).tasks.map((t: LiveTaskRow) => [t.id, t.status, t.outputFile])).toEqual([
      ['a', 'succeeded', 'tasks/a.md'],
      ['b', 'running', undefined],
      ['c', 'pending', undefined],
    ]);
    expect(await readFile(join(dir, 'out', 'tasks', 'a.md'), 'utf8')).toBe('A out\n');
    tasks = [tasks[0]!, row('b', 'failed'), row('c', 'skipped')];
    live.taskEnded('b');
    live.taskEnded('c');
    await live.settled();
    expect((await read()).tasks.map((t: LiveTaskRow) => t.status)).toEqual([
      'succeeded',
      'failed',
      'skipped',
    ]);
    expect(await readdir(join(dir, 'out', 'tasks'))).toEqual(['a.md']);
    expect(errors).toEqual([]);
  });
});
