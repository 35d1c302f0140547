import { execFileSync } from 'node:child_process';
import { constants } from 'node:fs';
import {
  link,
  mkdir,
  mkdtemp,
  open,
  readdir,
  readFile,
  rm,
  stat,
  symlink,
  writeFile,
} from 'node:fs/promises';
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
    ['REPORT.json', 'the run report itself'],
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

describe('writeRunReport, all or nothing', () => {
  const row = (id: string, outputFile?: string): TaskRow => ({
    ...base,
    id,
    status: 'succeeded',
    output: `output of ${id}`,
    outputFile,
  });
  const summaryOf = (...tasks: TaskRow[]) =>
    summarize({ runId: 'r1', startedAt: 0, finishedAt: 20, workers: ['worker-1'], tasks });
  const refusal = async (summary: ReturnType<typeof summaryOf>, out: string) => {
    const error = await writeRunReport(summary, out).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(OutputPathError);
    return error as OutputPathError;
  };

  it.each([
    [
      'a file inside another task’s file',
      [row('b'), row('a', 'tasks/b.md/c.md')],
      { taskId: 'a', file: 'tasks/b.md/c.md' },
      "it lies inside task `b`'s `tasks/b.md`, which is a file",
    ],
    [
      'a file that is the folder of a later default path',
      [row('x', 'tasks'), row('y')],
      { taskId: 'y', file: 'tasks/y.md' },
      "it lies inside task `x`'s `tasks`, which is a file",
    ],
    [
      'a file that is the folder of an earlier default path',
      [row('y'), row('x', 'tasks')],
      { taskId: 'x', file: 'tasks' },
      "it is a file on the way to task `y`'s `tasks/y.md`",
    ],
    [
      'a file inside report.json',
      [row('a', 'report.json/x.md')],
      { taskId: 'a', file: 'report.json/x.md' },
      'it lies inside the run report `report.json`, which is a file',
    ],
    [
      'ids differing only in case',
      [row('A'), row('a')],
      { taskId: 'a', file: 'tasks/a.md' },
      "it is the same file as task `A`'s `tasks/A.md` (names compared ignoring case)",
    ],
  ])('refuses %s up front, writing nothing at all', async (_name, tasks, fields, reason) => {
    const out = join(dir, 'out');
    const error = await refusal(summaryOf(...tasks), out);
    expect(error).toMatchObject({ code: 'OUTPUT_PATH_REFUSED', ...fields });
    expect(error.reason).toBe(reason);
    expect(await readdir(dir)).toEqual([]);
  });

  it('refuses a named pipe at an output path promptly, writing nothing and removing what it made', async () => {
    const out = join(dir, 'out');
    await mkdir(join(out, 'late'), { recursive: true });
    execFileSync('mkfifo', [join(out, 'late', 'b.md')]);
    const error = await refusal(summaryOf(row('a', 'early/a.md'), row('b', 'late/b.md')), out);
    expect(error).toMatchObject({ taskId: 'b', file: 'late/b.md' });
    expect(error.reason).toContain('not a regular file');
    // Task `a`'s file and folder, opened first, are gone again; no report.json.
    expect((await readdir(out)).sort()).toEqual(['late']);
    expect(await readdir(join(out, 'late'))).toEqual(['b.md']);
  }, 2_000);

  it('refuses a named pipe that has a reader (the open succeeds; fstat says no)', async () => {
    const out = join(dir, 'out');
    const fifo = join(out, 'tasks', 'a.md');
    await mkdir(join(out, 'tasks'), { recursive: true });
    execFileSync('mkfifo', [fifo]);
    const reader = await open(fifo, constants.O_RDONLY | constants.O_NONBLOCK);
    try {
      const error = await refusal(summaryOf(row('a')), out);
      expect(error.reason).toContain('not a regular file');
    } finally {
      await reader.close();
    }
    expect(await readdir(out)).toEqual(['tasks']);
  });

  it('refuses a hard link to a file outside the folder, leaving that file untouched', async () => {
    const out = join(dir, 'out');
    const victim = join(dir, 'victim.txt');
    await mkdir(join(out, 'tasks'), { recursive: true });
    await writeFile(victim, 'untouched');
    await link(victim, join(out, 'tasks', 'a.md'));
    const error = await refusal(summaryOf(row('a')), out);
    expect(error).toMatchObject({ taskId: 'a', file: 'tasks/a.md' });
    expect(error.reason).toContain('2 hard links');
    expect(await readFile(victim, 'utf8')).toBe('untouched');
    await expect(stat(join(out, 'report.json'))).rejects.toThrow(/ENOENT/);
  });

  it('leaves existing files as they were when a later one is refused', async () => {
    const out = join(dir, 'out');
    await mkdir(join(out, 'tasks'), { recursive: true });
    await writeFile(join(out, 'tasks', 'a.md'), 'previous run');
    await writeFile(join(out, 'report.json'), '{"previous":true}');
    await mkdir(join(out, 'tasks', 'b.md'));
    const error = await refusal(summaryOf(row('a'), row('b')), out);
    expect(error).toMatchObject({ taskId: 'b' });
    expect(await readFile(join(out, 'tasks', 'a.md'), 'utf8')).toBe('previous run');
    expect(await readFile(join(out, 'report.json'), 'utf8')).toBe('{"previous":true}');
  });

  it('overwrites files of an earlier run completely once everything is open', async () => {
    const out = join(dir, 'out');
    await mkdir(join(out, 'tasks'), { recursive: true });
    await writeFile(join(out, 'tasks', 'a.md'), 'a much longer previous output\n'.repeat(10));
    const written = await writeRunReport(summaryOf(row('a')), out);
    expect(await readFile(join(out, 'tasks', 'a.md'), 'utf8')).toBe('output of a\n');
    expect(JSON.parse(await readFile(written.reportFile, 'utf8')).tasks[0].outputFile).toBe(
      'tasks/a.md',
    );
  });
});
