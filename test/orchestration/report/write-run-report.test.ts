import { mkdir, mkdtemp, readdir, readFile, rm, stat, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { OutputPathError } from '../../../src/orchestration/report/errors/output-path-error.js';
import type { TaskRow } from '../../../src/orchestration/report/run-summary.js';
import { summarize } from '../../../src/orchestration/report/summarize.js';
import {
  taskOutputPath,
  writeRunReport,
} from '../../../src/orchestration/report/write-run-report.js';

const base = {
  attempts: 1,
  queryAttempts: 1,
  durationMs: 10,
  costUsd: 0.01,
  worker: 'worker-1',
  error: undefined,
  errorCode: undefined,
  skippedBecause: undefined,
  outputFile: undefined,
  worktree: undefined,
  startedAt: 0,
  finishedAt: 10,
} as const;

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'run-report-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('writeRunReport', () => {
  it('writes report.json and each output in its own file, creating directories', async () => {
    const tasks: TaskRow[] = [
      { ...base, id: 'a', status: 'succeeded', output: '# A\n' },
      { ...base, id: 'b', status: 'succeeded', output: 'B', outputFile: 'nested/deep/b.txt' },
      { ...base, id: 'c', status: 'failed', output: undefined, error: 'boom', errorCode: 'X' },
    ];
    const summary = summarize({
      runId: 'r1',
      startedAt: 0,
      finishedAt: 20,
      workers: ['worker-1'],
      tasks,
    });
    const out = join(dir, 'out', 'run');
    const written = await writeRunReport(summary, out);
    expect(written.reportFile).toBe(join(out, 'report.json'));
    expect(written.outputFiles).toEqual({
      a: join(out, 'tasks', 'a.md'),
      b: join(out, 'nested/deep/b.txt'),
    });
    expect(await readFile(join(out, 'tasks', 'a.md'), 'utf8')).toBe('# A\n');
    expect(await readFile(join(out, 'nested', 'deep', 'b.txt'), 'utf8')).toBe('B\n');
    await expect(stat(join(out, 'tasks', 'c.md'))).rejects.toThrow(/ENOENT/);
    const report = JSON.parse(await readFile(written.reportFile, 'utf8'));
    expect(report).toMatchObject({ runId: 'r1', status: 'failed', speedUp: 1.5 });
    expect(report.tasks.map((t: { outputFile?: string }) => t.outputFile)).toEqual([
      'tasks/a.md',
      'nested/deep/b.txt',
      undefined,
    ]);
    expect(report.tasks[2]).toMatchObject({ error: 'boom', errorCode: 'X' });
    expect(report.tasks[0]).not.toHaveProperty('output');
  });
});

describe('writeRunReport containment', () => {
  const summaryOf = (outputFile: string | undefined, id = 'a') =>
    summarize({
      runId: 'r1',
      startedAt: 0,
      finishedAt: 20,
      workers: ['worker-1'],
      tasks: [{ ...base, id, status: 'succeeded', output: 'secret plans', outputFile }],
    });

  it.each([
    ['../x', 'no `..` segment'],
    ['tasks/../../x', 'no `..` segment'],
    ['/tmp/abs-x', 'not an absolute one'],
    ['..\\..\\x', 'not `\\`'],
    ['a\u0000b', 'without NUL bytes'],
    ['', 'non-empty'],
    ['report.json', 'the run report itself'],
  ])('refuses outputFile %j and writes nothing at all', async (outputFile, reason) => {
    const out = join(dir, 'out');
    const error = await writeRunReport(summaryOf(outputFile), out).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(OutputPathError);
    expect(error).toMatchObject({ code: 'OUTPUT_PATH_REFUSED', taskId: 'a', file: outputFile });
    expect((error as Error).message).toContain("Refusing to write task `a`'s output to `");
    expect((error as Error).message).toContain(reason);
    expect(await readdir(dir)).toEqual([]);
  });

  it('refuses a directory on the way that is a symbolic link out, creating nothing outside', async () => {
    const out = join(dir, 'out');
    const outside = join(dir, 'outside');
    await mkdir(out);
    await mkdir(outside);
    await symlink(outside, join(out, 'tasks'));
    const error = await writeRunReport(summaryOf('tasks/deep/a.md'), out).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(OutputPathError);
    expect((error as Error).message).toContain('`tasks` is not a plain directory');
    expect(await readdir(outside)).toEqual([]);
  });

  it('refuses to write through a file that is a symbolic link', async () => {
    const out = join(dir, 'out');
    const victim = join(dir, 'victim.txt');
    await mkdir(join(out, 'tasks'), { recursive: true });
    await writeFile(victim, 'untouched');
    await symlink(victim, join(out, 'tasks', 'a.md'));
    const error = await writeRunReport(summaryOf(undefined), out).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(OutputPathError);
    expect((error as Error).message).toContain('it is a symbolic link');
    expect(await readFile(victim, 'utf8')).toBe('untouched');
  });

  it('refuses a report.json that is a symbolic link', async () => {
    const out = join(dir, 'out');
    const victim = join(dir, 'victim.json');
    await mkdir(out);
    await writeFile(victim, 'untouched');
    await symlink(victim, join(out, 'report.json'));
    await expect(writeRunReport(summaryOf('a.md'), out)).rejects.toThrow(/symbolic link/);
    expect(await readFile(victim, 'utf8')).toBe('untouched');
  });

  it('writes into an output directory that is itself reached through a link', async () => {
    const real = join(dir, 'real');
    await mkdir(real);
    await symlink(real, join(dir, 'link'));
    const written = await writeRunReport(summaryOf('nested/a.md'), join(dir, 'link'));
    expect(written.outputFiles.a).toBe(join(dir, 'link', 'nested', 'a.md'));
    expect(await readFile(join(real, 'nested', 'a.md'), 'utf8')).toBe('secret plans\n');
  });

  it('taskOutputPath refuses what escapes, and resolves the rest inside', () => {
    expect(taskOutputPath({ id: 'a', outputFile: undefined }, '/out')).toBe('/out/tasks/a.md');
    expect(taskOutputPath({ id: 'a', outputFile: 'x/y.md' }, '/out')).toBe('/out/x/y.md');
    expect(() => taskOutputPath({ id: 'a', outputFile: '/etc/passwd' }, '/out')).toThrow(
      OutputPathError,
    );
  });
});
