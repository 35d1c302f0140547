import { PassThrough } from 'node:stream';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { colorEnabled } from '../../src/cli/display/display-style.js';
import { lineReporter, liveDisplay } from '../../src/cli/run-display.js';
import { TaskBoard } from '../../src/cli/task-board.js';
import type { TaskProgressEvent } from '../../src/orchestration/task-queue/task-progress-event.js';
import { FakeTerminal, fakeProcess } from './display-fakes.js';

// biome-ignore lint/suspicious/noControlCharactersInRegex: matching escapes is the point
const SGR = /\x1b\[[0-9;]*m/;
const plain = (line: string) => line.replace(new RegExp(SGR, 'g'), '');
const T0 = Date.UTC(2026, 0, 1);

const base = (taskId: string, at: number) => ({ runId: 'r', taskId, at, elapsedMs: at - T0 });

function started(taskId: string, at: number): TaskProgressEvent {
  return { ...base(taskId, at), type: 'task.started', workerId: 'w1', attempt: 1, queryId: 'q' };
}

function succeeded(taskId: string, at: number, durationMs: number): TaskProgressEvent {
  return {
    ...base(taskId, at),
    type: 'task.succeeded',
    workerId: 'w1',
    attempts: 1,
    durationMs,
    costUsd: 0.002,
    output: 'ok',
  };
}

describe('liveDisplay', () => {
  beforeEach(() => {
    vi.useFakeTimers();
    vi.setSystemTime(T0);
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  const ids = Array.from({ length: 30 }, (_, i) => `task-${i}`);

  it('redraws on a timer, fitted to the terminal, and stops drawing after stop()', () => {
    const out = new FakeTerminal(100, 15);
    const board = new TaskBoard(ids, T0);
    const display = liveDisplay(out, board, { concurrency: 3, env: {}, proc: fakeProcess() });
    expect(out.lastFrame()).toHaveLength(14);
    board.apply(started('task-0', T0 + 100));
    vi.advanceTimersByTime(1_000);
    board.apply(succeeded('task-0', T0 + 1_000, 900));
    vi.advanceTimersByTime(200);
    const frame = out.lastFrame().map(plain);
    expect(frame).toHaveLength(14);
    expect(frame.at(-2)).toContain('✓ 1 done, 0 failed · 29 queued');
    expect(frame.at(-1)).toContain('1/30 tasks');
    expect(frame.at(-1)).toContain('1.2 s elapsed');
    // 900 ms × 29 / 3
    expect(frame.at(-1)).toContain('ETA 8.7 s');
    display.stop();
    const writes = out.writes.length;
    vi.advanceTimersByTime(5_000);
    expect(out.writes).toHaveLength(writes);
    expect(out.writes.at(-1)).toBe('\x1b[?25h');
  });

  it('re-reads the size on resize and redraws at once', () => {
    const out = new FakeTerminal(100, 40);
    const display = liveDisplay(out, new TaskBoard(ids, T0), { env: {}, proc: fakeProcess() });
    expect(out.lastFrame()).toHaveLength(31);
    out.resize(50, 8);
    expect(out.lastFrame()).toHaveLength(7);
    for (const line of out.lastFrame()) expect(plain(line).length).toBeLessThan(50);
    display.stop();
    expect(out.listenerCount('resize')).toBe(0);
  });

  it.each([
    [{}, true, true],
    [{ NO_COLOR: '1' }, true, false],
    [{ NO_COLOR: '' }, true, true],
    [{ FORCE_COLOR: '0' }, true, false],
    [{ FORCE_COLOR: '1' }, false, true],
    [{ NO_COLOR: '1', FORCE_COLOR: '1' }, true, false],
  ])('with env %j (terminal colours: %s) colours: %s', (env, colors, expected) => {
    const out = new FakeTerminal(100, 40);
    out.colors = colors;
    liveDisplay(out, new TaskBoard(['a'], T0), { env, proc: fakeProcess() }).stop();
    expect(SGR.test(out.writes.join(''))).toBe(expected);
    expect(colorEnabled(out, env)).toBe(expected);
  });

  it('never colours a stream that is not a TTY', () => {
    expect(colorEnabled({ isTTY: false, hasColors: () => true }, { FORCE_COLOR: '1' })).toBe(false);
  });

  it('does not keep the process alive', () => {
    const setInterval = vi.spyOn(globalThis, 'setInterval');
    const out = new FakeTerminal(100, 40);
    liveDisplay(out, new TaskBoard(ids, T0), { env: {}, proc: fakeProcess() });
    const timer = setInterval.mock.results[0]!.value as NodeJS.Timeout;
    expect(timer.hasRef()).toBe(false);
  });
});

describe('lineReporter', () => {
  it('writes one plain line per event, with no escape codes', () => {
    const out = new PassThrough();
    const report = lineReporter(out);
    const at = T0 + 1_500;
    const events: TaskProgressEvent[] = [
      started('a', at),
      {
        ...base('a', at),
        type: 'task.retrying',
        workerId: 'w1',
        attempt: 1,
        error: new Error('boom'),
        costUsd: 0,
      },
      succeeded('a', at, 1_000),
      {
        ...base('b', at),
        type: 'task.failed',
        workerId: 'w1',
        attempts: 2,
        durationMs: 3,
        costUsd: 0,
        error: new Error('bad'),
      },
      { ...base('c', at), type: 'task.skipped', because: 'b', via: 'b' },
    ];
    for (const event of events) report(event);
    const text = String(out.read());
    expect(text.split('\n').filter(Boolean)).toHaveLength(5);
    expect(text).not.toContain('\x1b');
  });
});
