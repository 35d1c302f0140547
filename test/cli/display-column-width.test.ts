import { describe, expect, it } from 'vitest';
import { columnWidth, fitColumns } from '../../src/cli/display/column-width.js';
import { renderFrame } from '../../src/cli/display/render-frame.js';
import type { TaskLine } from '../../src/cli/task-board.js';

describe('columnWidth', () => {
  it.each([
    ['abc', 3],
    ['日本語', 6],
    ['한국', 4],
    ['🚀 go', 5],
    ['e\u0301', 1],
    ['a\u200bb', 2],
    ['ｆｕｌｌ', 8],
  ])('%j takes %i columns', (text, width) => {
    expect(columnWidth(text)).toBe(width);
  });

  it('cuts to whole characters that fit', () => {
    expect(fitColumns('日本語', 5)).toEqual({ text: '日本', width: 4 });
    expect(fitColumns('ab日', 3)).toEqual({ text: 'ab', width: 2 });
    expect(fitColumns('🚀🚀', 2)).toEqual({ text: '🚀', width: 2 });
  });
});

describe('renderFrame with wide characters', () => {
  it('never draws a line wider than the terminal, whatever the note', () => {
    const T0 = 1_000_000;
    const tasks: TaskLine[] = ['日本語のタスク', 'émoji-🚀🚀🚀', 'plain'].map((id, i) => ({
      id,
      status: i === 2 ? 'running' : 'failed',
      worker: 'worker-1',
      startedAt: T0,
      endedAt: i === 2 ? undefined : T0 + 1_000,
      elapsedMs: 1_000,
      costUsd: 0,
      attempt: 1,
      note: i === 2 ? undefined : '日'.repeat(40),
    }));
    for (const width of [20, 40, 80]) {
      const lines = renderFrame(
        { tasks, startedAt: T0, now: T0 + 2_000, concurrency: 2 },
        width,
        10,
      );
      for (const line of lines) expect(columnWidth(line)).toBeLessThanOrEqual(width - 1);
    }
  });
});
