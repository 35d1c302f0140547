import { writeSync } from 'node:fs';
import { columnWidth } from './column-width.js';

/** The terminal a {@link FrameWriter} draws on (a `tty.WriteStream`, or a fake in tests). */
export interface TerminalStream {
  write(text: string): unknown;
  /** The file descriptor, for the synchronous write of the exit handler. */
  readonly fd?: number;
  readonly columns?: number;
  readonly rows?: number;
  readonly isTTY?: boolean;
  hasColors?(count?: number): boolean;
  on(event: 'resize', listener: () => void): unknown;
  off(event: 'resize', listener: () => void): unknown;
}

/** The parts of `process` the writer hooks into, injectable for tests. */
export type ProcessHooks = Pick<NodeJS.Process, 'on' | 'off' | 'listenerCount' | 'kill' | 'pid'>;

/** Draws frames in place on a terminal; see {@link createFrameWriter}. */
export interface FrameWriter {
  /** Replaces the previous frame with `lines` (each must fit on one terminal line). */
  draw(lines: readonly string[]): void;
  /** Shows the cursor again and removes the exit hooks; the last frame stays. Idempotent. */
  close(): void;
}

/** SGR and other CSI sequences: they take no column. */
// biome-ignore lint/suspicious/noControlCharactersInRegex: matching escapes is the point
const CSI = /\x1b\[[0-9;?]*[ -/]*[@-~]/g;

const HIDE_CURSOR = '\x1b[?25l';
const SHOW_CURSOR = '\x1b[?25h';
/** Erase the whole line. */
const ERASE_LINE = '\x1b[2K';
/** Erase from the cursor to the end of the screen. */
const ERASE_BELOW = '\x1b[J';
/** Signals whose default action kills the process without an `exit` event. */
const FATAL_SIGNALS = ['SIGINT', 'SIGTERM', 'SIGHUP'] as const;

/**
 * Redraws a block of lines in place, as `log-update` does: the cursor waits on the line below
 * the frame; each frame moves it up over the previous one and rewrites it line by line (each
 * line erased first), then erases what is left below, in one `write`. This only works while the frame is shorter
 * than the terminal (a line that scrolled off cannot be rewritten) and no line wraps — which
 * `renderFrame` guarantees.
 *
 * The cursor is hidden from the first frame until {@link FrameWriter.close}, and shown again on
 * every way out: `close()` (normal end, or a `finally` after an error); a process `exit` event
 * (`process.exit()`, an uncaught exception); and SIGINT / SIGTERM / SIGHUP when nobody else
 * handles them (the writer then restores the cursor and re-raises the signal, so the default
 * action still happens; a program with its own handlers ends through `close()` or `exit`).
 * SIGKILL cannot be caught.
 *
 * @param out - The terminal.
 * @param proc - `process`, or a fake in tests.
 */
export function createFrameWriter(out: TerminalStream, proc: ProcessHooks = process): FrameWriter {
  /** Visible widths of the lines of the previous frame. */
  let previousWidths: number[] = [];
  let previousFrame: string | undefined;
  let hidden = false;
  let closed = false;

  const restoreSync = (): void => {
    if (!hidden) return;
    hidden = false;
    // In an exit handler only synchronous writes happen.
    if (typeof out.fd === 'number') {
      try {
        writeSync(out.fd, SHOW_CURSOR);
        return;
      } catch {
        // Fall back to the stream below.
      }
    }
    out.write(SHOW_CURSOR);
  };
  const onExit = (): void => restoreSync();
  const signalHandlers = new Map<NodeJS.Signals, () => void>();
  const unhook = (): void => {
    proc.off('exit', onExit);
    for (const [signal, handler] of signalHandlers) proc.off(signal, handler);
    signalHandlers.clear();
  };
  const hook = (): void => {
    proc.on('exit', onExit);
    for (const signal of FATAL_SIGNALS) {
      if (proc.listenerCount(signal) > 0) continue;
      const handler = (): void => {
        restoreSync();
        unhook();
        proc.kill(proc.pid, signal);
      };
      signalHandlers.set(signal, handler);
      proc.on(signal, handler);
    }
  };

  return {
    draw(lines) {
      if (closed) return;
      // Each line erased as it is rewritten, and what is left of a longer previous frame
      // erased below the new one. Not one erase-to-end from the frame's top: from the top-left
      // corner that is a clear screen, which tmux (`scroll-on-clear`) pushes into the scrollback.
      const frame = `${lines.map((line) => `${ERASE_LINE}${line}\n`).join('')}${ERASE_BELOW}`;
      if (frame === previousFrame) return;
      let text = '';
      if (!hidden) {
        hook();
        hidden = true;
        text += HIDE_CURSOR;
      }
      const up = rowsTaken(previousWidths, out.columns);
      if (up > 0) text += `\x1b[${up}A`;
      text += `\r${frame}`;
      out.write(text);
      previousFrame = frame;
      previousWidths = lines.map(visibleWidth);
    },
    close() {
      if (closed) return;
      closed = true;
      unhook();
      if (hidden) {
        hidden = false;
        out.write(SHOW_CURSOR);
      }
    },
  };
}

function visibleWidth(line: string): number {
  return columnWidth(line.replace(CSI, ''));
}

/**
 * Terminal rows the previous frame takes now: one per line, more for a line a narrower terminal
 * has re-wrapped since it was drawn (terminals such as tmux reflow on resize).
 */
function rowsTaken(widths: readonly number[], columns: number | undefined): number {
  if (!columns || columns <= 0) return widths.length;
  return widths.reduce((rows, width) => rows + Math.max(1, Math.ceil(width / columns)), 0);
}
