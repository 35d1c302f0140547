import { closeSync, mkdtempSync, openSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createFrameWriter } from '../../src/cli/display/frame-writer.js';
import { FakeTerminal, fakeProcess } from './display-fakes.js';

const HIDE = '\x1b[?25l';
const SHOW = '\x1b[?25h';
const L = '\x1b[2K';
const J = '\x1b[J';

describe('createFrameWriter', () => {
  it('hides the cursor, then redraws each frame over the previous one in one write', () => {
    const out = new FakeTerminal(80, 24);
    const writer = createFrameWriter(out, fakeProcess());
    writer.draw(['one', 'two']);
    writer.draw(['three']);
    writer.draw(['four', 'five', 'six']);
    expect(out.writes).toEqual([
      `${HIDE}\r${L}one\n${L}two\n${J}`,
      `\x1b[2A\r${L}three\n${J}`,
      `\x1b[1A\r${L}four\n${L}five\n${L}six\n${J}`,
    ]);
  });

  it('never erases to the end of the screen from the frame top (tmux would keep that)', () => {
    const out = new FakeTerminal(80, 3);
    const writer = createFrameWriter(out, fakeProcess());
    writer.draw(['a', 'b']);
    writer.draw(['c', 'd']);
    // The erase-below comes after the lines, never with the cursor on the frame's first line.
    expect(out.writes[1]).toBe(`\x1b[2A\r${L}c\n${L}d\n${J}`);
    expect(out.writes[1]!.indexOf(J)).toBe(out.writes[1]!.length - J.length);
  });

  it('does not rewrite an unchanged frame', () => {
    const out = new FakeTerminal(80, 24);
    const writer = createFrameWriter(out, fakeProcess());
    writer.draw(['same']);
    writer.draw(['same']);
    expect(out.writes).toHaveLength(1);
  });

  it('moves up over lines a narrower terminal has re-wrapped', () => {
    const out = new FakeTerminal(100, 24);
    const writer = createFrameWriter(out, fakeProcess());
    writer.draw(['x'.repeat(50), `\x1b[31m${'y'.repeat(10)}\x1b[39m`]);
    out.columns = 20;
    writer.draw(['z']);
    // 50 columns now take 3 rows; the coloured line's escapes take none.
    expect(out.writes[1]).toBe(`\x1b[4A\r${L}z\n${J}`);
  });

  it('shows the cursor on close, once, and unhooks from the process', () => {
    const out = new FakeTerminal(80, 24);
    const proc = fakeProcess();
    const writer = createFrameWriter(out, proc);
    writer.draw(['a']);
    expect(proc.listenerCount('exit')).toBe(1);
    expect(proc.listenerCount('SIGTERM')).toBe(1);
    writer.close();
    writer.close();
    writer.draw(['b']);
    expect(out.writes.slice(1)).toEqual([SHOW]);
    expect(proc.listenerCount('exit')).toBe(0);
    expect(['SIGINT', 'SIGTERM', 'SIGHUP'].map((s) => proc.listenerCount(s))).toEqual([0, 0, 0]);
  });

  it('never touches the cursor when nothing was drawn', () => {
    const out = new FakeTerminal(80, 24);
    const proc = fakeProcess();
    createFrameWriter(out, proc).close();
    expect(out.writes).toEqual([]);
    expect(proc.listenerCount('exit')).toBe(0);
  });

  it('shows the cursor when the process exits (process.exit, an uncaught exception)', () => {
    const out = new FakeTerminal(80, 24);
    const proc = fakeProcess();
    createFrameWriter(out, proc).draw(['a']);
    proc.emit('exit', 1);
    expect(out.writes.at(-1)).toBe(SHOW);
  });

  it('writes the exit handler’s show-cursor synchronously to the file descriptor', () => {
    const dir = mkdtempSync(join(tmpdir(), 'frame-writer-'));
    const file = join(dir, 'tty');
    const fd = openSync(file, 'w');
    try {
      const out = new FakeTerminal(80, 24);
      out.fd = fd;
      const proc = fakeProcess();
      createFrameWriter(out, proc).draw(['a']);
      proc.emit('exit', 0);
      expect(readFileSync(file, 'utf8')).toBe(SHOW);
    } finally {
      closeSync(fd);
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it.each([
    'SIGINT',
    'SIGTERM',
    'SIGHUP',
  ] as const)('on an unhandled %s shows the cursor and re-raises the signal', (signal) => {
    const out = new FakeTerminal(80, 24);
    const proc = fakeProcess();
    createFrameWriter(out, proc).draw(['a']);
    proc.emit(signal);
    expect(out.writes.at(-1)).toBe(SHOW);
    expect(proc.listenerCount(signal)).toBe(0);
    expect(proc.kill).toHaveBeenCalledWith(4242, signal);
  });

  it('leaves signals alone when the program handles them (it ends through close or exit)', () => {
    const out = new FakeTerminal(80, 24);
    const proc = fakeProcess();
    const own = () => {};
    proc.on('SIGINT', own);
    createFrameWriter(out, proc).draw(['a']);
    expect(proc.listenerCount('SIGINT')).toBe(1);
    proc.emit('SIGINT');
    expect(proc.kill).not.toHaveBeenCalled();
    proc.emit('exit', 130);
    expect(out.writes.at(-1)).toBe(SHOW);
  });
});
