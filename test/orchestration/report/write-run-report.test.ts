import { mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { TaskRow } from '../../../src/orchestration/report/run-summary.js';
import { summarize } from '../../../src/orchestration/report/summarize.js';
import { writeRunReport } from '../../../src/orchestration/report/write-run-report.js';

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
