import { describe, expect, it } from 'vitest';
import { ansiStyle } from '../../src/cli/display/display-style.js';
import { estimateRemainingMs } from '../../src/cli/display/estimate-remaining.js';
import { type FrameState, renderFrame } from '../../src/cli/display/render-frame.js';
import type { TaskLine } from '../../src/cli/task-board.js';

const T0 = 1_000_000;

function task(id: string, status: TaskLine['status'], extra: Partial<TaskLine> = {}): TaskLine {
  const ended = !['queued', 'running', 'retrying'].includes(status);
  return {
    id,
    status,
    worker: status === 'queued' ? undefined : 'worker-1',
    startedAt: status === 'queued' ? undefined : T0,
    endedAt: ended ? T0 + 2_000 : undefined,
    elapsedMs: ended ? 2_000 : 0,
    costUsd: ended ? 0.01 : 0,
    attempt: status === 'queued' ? 0 : 1,
    note: status === 'failed' ? 'API error 529 overloaded' : undefined,
    ...extra,
  };
}

/** 30 tasks as in issue 10: 12 done, 3 failed, 6 running, 9 queued. */
function thirtyTasks(): TaskLine[] {
  const tasks: TaskLine[] = [];
  for (let i = 0; i < 12; i++) tasks.push(task(`done-${i}`, 'succeeded', { endedAt: T0 + i }));
  for (let i = 0; i < 3; i++) tasks.push(task(`bad-${i}`, 'failed'));
  for (let i = 0; i < 6; i++) tasks.push(task(`run-${i}`, 'running', { startedAt: T0 + 100 * i }));
  for (let i = 0; i < 9; i++) tasks.push(task(`wait-${i}`, 'queued'));
  return tasks;
}

const state = (tasks: TaskLine[], extra: Partial<FrameState> = {}): FrameState => ({
  tasks,
  startedAt: T0,
  now: T0 + 17_000,
  concurrency: 3,
  ...extra,
});

// biome-ignore lint/suspicious/noControlCharactersInRegex: matching escapes is the point
const stripAnsi = (line: string) => line.replace(/\x1b\[[0-9;]*m/g, '');

describe('renderFrame', () => {
  it('shows one row per task, in plan order, when they all fit', () => {
    const tasks = [task('a', 'succeeded'), task('b', 'running'), task('c', 'queued')];
    const lines = renderFrame(state(tasks), 100, 10);
    expect(lines).toHaveLength(4);
    expect(lines.slice(0, 3).map((l) => l.split(/\s+/).slice(0, 3))).toEqual([
      ['✓', 'a', 'succeeded'],
      ['▶', 'b', 'running'],
      ['·', 'c', 'queued'],
    ]);
    expect(lines[3]).toMatch(/1\/3 tasks · 1 running · 17\.0 s elapsed · ETA 1\.3 s · \$0\.0100$/);
  });

  it('fits 30 tasks into a 15-line pane: running first, then failures, then counts', () => {
    const lines = renderFrame(state(thirtyTasks()), 100, 15);
    expect(lines).toHaveLength(14);
    expect(lines.slice(0, 6).map((l) => l.split(/\s+/)[1])).toEqual([
      'run-0',
      'run-1',
      'run-2',
      'run-3',
      'run-4',
      'run-5',
    ]);
    expect(lines[6]).toContain('bad-');
    expect(lines[6]).toContain('API error 529 overloaded');
    // Then the most recently ended successes, newest first.
    expect(lines[9]).toContain('done-11');
    expect(lines[12]).toBe('✓ 12 done, 3 failed · 9 queued');
    expect(lines[13]).toMatch(
      /^\[#+\.+\] 15\/30 tasks · 6 running · 17\.0 s elapsed · ETA 10\.0 s/,
    );
  });

  it('folds running tasks that do not fit into the counts', () => {
    const tasks = Array.from({ length: 8 }, (_, i) => task(`r${i}`, 'running'));
    const lines = renderFrame(state(tasks), 80, 6);
    expect(lines).toHaveLength(5);
    expect(lines[3]).toBe('✓ 0 done, 0 failed · +5 running');
  });

  it('names skipped and cancelled tasks in the counts only when there are some', () => {
    const tasks = [
      ...thirtyTasks(),
      task('s', 'skipped', { note: 'skipped: bad-0 did not succeed' }),
      task('x', 'cancelled'),
    ];
    const lines = renderFrame(state(tasks), 100, 5);
    expect(lines.at(-2)).toBe(
      '✓ 12 done, 3 failed, 1 skipped, 1 cancelled · 9 queued · +4 running',
    );
  });

  it('never draws more than height - 1 lines, nor a line of width columns or more', () => {
    const tasks = [
      ...thirtyTasks(),
      task('a-task-with-a-very-long-identifier-indeed', 'failed', { note: 'x'.repeat(300) }),
    ];
    for (const height of [0, 1, 2, 3, 5, 15, 31, 32, 40, 100]) {
      for (const width of [1, 10, 40, 60, 100, 300]) {
        for (const style of [undefined, ansiStyle]) {
          const lines = renderFrame(state(tasks), width, height, style);
          expect(lines.length).toBeLessThanOrEqual(Math.max(1, height - 1));
          for (const line of lines) {
            expect([...stripAnsi(line)].length).toBeLessThanOrEqual(Math.max(1, width - 1));
            expect(line).not.toContain('\n');
          }
        }
      }
    }
  });

  it('keeps the progress line when only one line fits', () => {
    const lines = renderFrame(state(thirtyTasks()), 100, 2);
    expect(lines).toEqual([expect.stringContaining('15/30 tasks')]);
  });

  it('drops the bar, not the figures, on a narrow terminal', () => {
    const line = renderFrame(state(thirtyTasks()), 70, 2)[0]!;
    expect(line.startsWith('15/30 tasks · 6 running')).toBe(true);
    expect(line).not.toContain('[');
  });

  it('cuts long ids and one-lines notes', () => {
    const tasks = [task('x'.repeat(40), 'failed', { note: 'line one\nline two\x1b[31m' })];
    const [row] = renderFrame(state(tasks), 200, 10);
    expect(row).toContain(`${'x'.repeat(23)}…`);
    expect(row).toContain('line one line two [31m');
    expect(row).not.toContain('\x1b');
  });

  it('colours only through the style it is given', () => {
    const tasks = [task('a', 'succeeded'), task('b', 'failed'), task('c', 'running')];
    const plain = renderFrame(state(tasks), 100, 10);
    const coloured = renderFrame(state(tasks), 100, 10, ansiStyle);
    expect(plain.join('')).not.toContain('\x1b');
    expect(coloured[0]).toContain('\x1b[32m✓ a');
    expect(coloured[1]).toContain('\x1b[31m✗ b');
    expect(coloured.map(stripAnsi)).toEqual(plain);
  });

  it('shows elapsed time of running tasks from their start', () => {
    const tasks = [task('a', 'running', { startedAt: T0 + 15_500 })];
    expect(renderFrame(state(tasks), 100, 10)[0]).toContain('1.5 s');
  });
});

describe('estimateRemainingMs', () => {
  it('is mean duration × tasks left / concurrency', () => {
    const tasks = [
      task('a', 'succeeded', { elapsedMs: 1_000 }),
      task('b', 'failed', { elapsedMs: 3_000 }),
      task('c', 'running'),
      task('d', 'queued'),
      task('e', 'queued'),
      task('f', 'skipped', { elapsedMs: 0 }),
    ];
    expect(estimateRemainingMs(tasks, 2)).toBe((2_000 * 3) / 2);
  });

  it('is unknown before any task has run to an end, and 0 when all ended', () => {
    expect(estimateRemainingMs([task('a', 'running'), task('b', 'skipped')], 2)).toBeUndefined();
    expect(estimateRemainingMs([task('a', 'succeeded')], 2)).toBe(0);
    expect(renderFrame(state([task('a', 'running')]), 100, 5).at(-1)).toContain('ETA –');
  });
});
