import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { liveRunReport } from '../../../src/orchestration/report/live-run-report.js';
import { removeStaleTempFiles } from '../../../src/orchestration/report/remove-stale-temp-files.js';

// Above Linux's largest pid (2^22): no process has it.
const DEAD_PID = 99_999_999;
let dir: string | undefined;
afterEach(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe('removeStaleTempFiles', () => {
  it('removes the temporary files of processes that are gone, nothing else', async () => {
    dir = mkdtempSync(join(tmpdir(), 'ca-stale-'));
    const names = [
      `.a.md.${DEAD_PID}-3.tmp`,
      `.a.md.${process.pid}-1.tmp`,
      `.b.md.${process.ppid}-2.tmp`,
      'a.md',
      '.hidden',
      `a.md.${DEAD_PID}-3.tmp`,
    ];
    for (const name of names) writeFileSync(join(dir, name), 'x');
    const removed = await removeStaleTempFiles([dir, join(dir, 'missing')]);
    expect(removed).toEqual([join(dir, `.a.md.${DEAD_PID}-3.tmp`)]);
    expect(readdirSync(dir).sort()).toEqual(names.slice(1).sort());
  });

  it('is run by the live report before its first write: a killed host’s leftovers go', async () => {
    dir = mkdtempSync(join(tmpdir(), 'ca-stale-'));
    mkdirSync(join(dir, 'tasks'));
    const stale = [
      join(dir, 'tasks', `.a.md.${DEAD_PID}-1.tmp`),
      join(dir, `.report.json.${DEAD_PID}-2.tmp`),
    ];
    for (const path of stale) writeFileSync(path, 'partial');
    const errors: unknown[] = [];
    const live = liveRunReport({
      outputDir: dir,
      onError: (error) => errors.push(error),
      read: () => ({
        summary: {} as never,
        tasks: [{ id: 'a', status: 'succeeded', output: 'done' } as never],
      }),
    });
    live.taskEnded('a');
    await live.settled();
    for (const path of stale) expect(existsSync(path)).toBe(false);
    expect(readdirSync(join(dir, 'tasks'))).toEqual(['a.md']);
    expect(errors).toEqual([]);
  });
});
