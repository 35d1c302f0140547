import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

/**
 * The live display under a real pseudo-terminal: `claude-actors run` of a simulated plan in a
 * tmux pane of a fixed size, read back with `capture-pane` (scrollback included). Each task is
 * a real CLI process (~0.4 s CPU), so the runs are small: 12 + 8 tasks.
 */
const hasTmux = (() => {
  try {
    execFileSync('tmux', ['-V'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
})();

const ROOT = resolve(import.meta.dirname, '../..');
const TSX = join(ROOT, 'node_modules/.bin/tsx');
/**
 * One process, TypeScript through tsx's loader, for Ctrl-C: the `tsx` command is a parent that
 * relays its own copy of a signal, at a time that varies with load (seen beyond 500 ms on a
 * loaded machine), which the run may take as a second Ctrl-C.
 */
const NODE_TSX = `${process.execPath} --import tsx`;
// biome-ignore lint/suspicious/noControlCharactersInRegex: matching escapes is the point
const COLOUR = /\x1b\[[0-9;]*m/;

let dir: string;
const sockets: string[] = [];

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'display-tmux-'));
});

afterAll(() => {
  for (const socket of sockets) {
    try {
      execFileSync('tmux', ['-L', socket, 'kill-server'], { stdio: 'ignore' });
    } catch {
      // Already gone.
    }
  }
  rmSync(dir, { recursive: true, force: true });
});

interface Pane {
  tmux(...args: string[]): string;
  /** Every line, history included; wrapped lines joined; trailing blank lines dropped. */
  scrollback(options?: { escapes?: boolean }): string[];
}

function openPane(name: string, width: number, height: number, command: string): Pane {
  const socket = `claude-actors-display-${process.pid}-${name}`;
  sockets.push(socket);
  const tmux = (...args: string[]) =>
    execFileSync('tmux', ['-L', socket, ...args], { encoding: 'utf8' });
  // `-f /dev/null`: no user config; the pane stays after the command ends.
  execFileSync('tmux', [
    '-L',
    socket,
    '-f',
    '/dev/null',
    'new-session',
    '-d',
    '-x',
    String(width),
    '-y',
    String(height),
    '-c',
    ROOT,
    command,
    ';',
    'set-option',
    '-w',
    'remain-on-exit',
    'on',
  ]);
  return {
    tmux,
    scrollback({ escapes = false } = {}) {
      const text = tmux('capture-pane', '-p', '-J', ...(escapes ? ['-e'] : []), '-S', '-');
      const lines = text.split('\n');
      while (lines.length > 0 && lines.at(-1)!.trim() === '') lines.pop();
      return lines;
    },
  };
}

async function waitFor(pane: Pane, pattern: RegExp, timeoutMs: number): Promise<RegExpMatchArray> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const match = pane.scrollback().join('\n').match(pattern);
    if (match) return match;
    if (Date.now() > deadline) {
      throw new Error(`${pattern} not seen in ${timeoutMs} ms:\n${pane.scrollback().join('\n')}`);
    }
    await new Promise((r) => setTimeout(r, 250));
  }
}

function writePlan(name: string, tasks: number, workers: number): string {
  const file = join(dir, `${name}.json`);
  const plan = {
    name,
    workers,
    defaults: { maxTurns: 1, tools: [] },
    tasks: Array.from({ length: tasks }, (_, i) => ({
      id: `task-${String(i).padStart(2, '0')}`,
      prompt: `Say hello ${i}`,
    })),
  };
  writeFileSync(file, JSON.stringify(plan));
  return file;
}

/** The shell line of a pane: the run, its exit code, then a command that never ends. */
function runLine(plan: string, env: string, runner = TSX): string {
  // `trap : INT`: Ctrl-C reaches the run, not the shell that prints its exit code.
  return `trap : INT; env -u NO_COLOR -u FORCE_COLOR ${env} ${runner} src/cli/main.ts run ${plan} --output ${plan}.out; echo EXIT=$?; exec tail -f /dev/null`;
}

/** The final frame: from below the header line to the progress line, both excluded/included. */
function lastFrame(lines: readonly string[], total: number): string[] {
  const running = lines.findIndex((l) => l.startsWith('Running against the simulated API'));
  // The journal's line (`Run <id>, journalled in …`) is part of the header.
  const header = lines[running + 1]?.startsWith('Run ') ? running + 1 : running;
  const progress = lines.findLastIndex((l) => new RegExp(`\\d+/${total} tasks · `).test(l));
  expect(running).toBeGreaterThanOrEqual(0);
  expect(progress).toBeGreaterThan(header);
  return lines.slice(header + 1, progress + 1);
}

describe.skipIf(!hasTmux)('the live display in a real terminal (tmux)', () => {
  it('keeps a 12-task run in a 100x12 pane: small scrollback, a fitting last frame, cursor back', async () => {
    const [width, height] = [100, 12];
    const pane = openPane('small', width, height, runLine(writePlan('small', 12, 3), ''));
    const [, code] = await waitFor(pane, /EXIT=(\d+)/, 120_000);
    expect(code).toBe('0');

    const lines = pane.scrollback();
    // Header, one frame, the summary table (12 rows + 4), the exit line: nothing per frame.
    expect(lines.length).toBeLessThan(3 * height);
    const frame = lastFrame(lines, 12);
    expect(frame.length).toBeLessThanOrEqual(height - 1);
    for (const line of frame) expect(line.length).toBeLessThan(width);
    expect(frame.at(-1)).toContain('12/12 tasks · 0 running');
    expect(frame.at(-2)).toBe('✓ 12 done, 0 failed');
    expect(pane.tmux('display', '-p', '#{cursor_flag}').trim()).toBe('1');
    expect(COLOUR.test(pane.scrollback({ escapes: true }).join('\n'))).toBe(true);
  }, 150_000);

  it('in a 60x40 pane with NO_COLOR: no colour, and Ctrl-C gives the cursor back', async () => {
    const [width, height] = [60, 40];
    const pane = openPane(
      'tall',
      width,
      height,
      runLine(writePlan('tall', 8, 2), 'NO_COLOR=1', NODE_TSX),
    );
    await waitFor(pane, /✓ task-\d\d/, 120_000);
    expect(pane.tmux('display', '-p', '#{cursor_flag}').trim()).toBe('0');
    pane.tmux('send-keys', 'C-c');
    const [, code] = await waitFor(pane, /EXIT=(\d+)/, 60_000);
    expect(code).toBe('130');

    const lines = pane.scrollback();
    expect(lines.length).toBeLessThan(3 * height);
    const frame = lastFrame(lines, 8);
    // Every task fits: one row each, in plan order, then the progress line.
    expect(frame.map((l) => l.split(/\s+/)[1])).toEqual([
      ...Array.from({ length: 8 }, (_, i) => `task-0${i}`),
      expect.any(String),
    ]);
    for (const line of frame) expect(line.length).toBeLessThan(width);
    expect(lines.join('\n')).toMatch(/cancelled/);
    expect(pane.tmux('display', '-p', '#{cursor_flag}').trim()).toBe('1');
    expect(COLOUR.test(pane.scrollback({ escapes: true }).join('\n'))).toBe(false);
  }, 150_000);

  it.each([
    ['an uncaught exception', 'throw', /EXIT=1/],
    ['process.exit()', 'exit', /EXIT=3/],
    ['a SIGTERM nobody handles', 'signal', /EXIT=143/],
  ])(
    'shows the cursor again after %s',
    async (_name, mode, exit) => {
      const fixture = join(ROOT, 'test/cli/display-exit-fixture.ts');
      const pane = openPane(
        mode,
        80,
        10,
        `${TSX} ${fixture} ${mode}; echo EXIT=$?; exec tail -f /dev/null`,
      );
      const [, pid] = await waitFor(pane, /PID=(\d+)[\s\S]*0\/2 tasks/, 60_000);
      expect(pane.tmux('display', '-p', '#{cursor_flag}').trim()).toBe('0');
      if (mode === 'signal') process.kill(Number(pid), 'SIGTERM');
      await waitFor(pane, exit, 30_000);
      expect(pane.tmux('display', '-p', '#{cursor_flag}').trim()).toBe('1');
    },
    90_000,
  );

  it('follows a resize: the frame shrinks to the new size and nothing leaks into the scrollback', async () => {
    const fixture = join(ROOT, 'test/cli/display-exit-fixture.ts');
    const pane = openPane(
      'resize',
      90,
      36,
      `${TSX} ${fixture} busy; echo EXIT=$?; exec tail -f /dev/null`,
    );
    const [, pid] = await waitFor(pane, /PID=(\d+)[\s\S]*▶ task-3[\s\S]*\/30 tasks/, 60_000);
    pane.tmux('resize-window', '-x', '50', '-y', '8');
    await new Promise((r) => setTimeout(r, 1_500));
    const before = pane.scrollback().length;
    await new Promise((r) => setTimeout(r, 1_500));
    // Frames kept coming (every 100 ms), all in place.
    expect(pane.scrollback().length).toBe(before);
    const visible = pane.tmux('capture-pane', '-p').split('\n');
    while (visible.length > 0 && visible.at(-1)!.trim() === '') visible.pop();
    expect(visible.at(-1)).toMatch(/\/30 tasks/);
    expect(visible.at(-2)).toMatch(/^✓ \d+ done, 0 failed · \d+ queued/);
    for (const line of visible) expect(line.length).toBeLessThan(50);
    process.kill(Number(pid), 'SIGTERM');
    await waitFor(pane, /EXIT=143/, 30_000);
    expect(pane.tmux('display', '-p', '#{cursor_flag}').trim()).toBe('1');
  }, 90_000);
});
