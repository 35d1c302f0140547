import { EventEmitter } from 'node:events';
import { vi } from 'vitest';
import type { ProcessHooks, TerminalStream } from '../../src/cli/display/frame-writer.js';

/** A terminal that records every write; `resize()` changes its size as a real one would. */
export class FakeTerminal extends EventEmitter implements TerminalStream {
  readonly writes: string[] = [];
  readonly isTTY = true;
  fd: number | undefined = undefined;
  colors = true;

  constructor(
    public columns: number,
    public rows: number,
  ) {
    super();
  }

  write(text: string): boolean {
    this.writes.push(text);
    return true;
  }

  hasColors(): boolean {
    return this.colors;
  }

  resize(columns: number, rows: number): void {
    this.columns = columns;
    this.rows = rows;
    this.emit('resize');
  }

  /** The lines of the last frame drawn (cursor and clear sequences removed). */
  lastFrame(): string[] {
    const last = [...this.writes].reverse().find((w) => w.includes('\n')) ?? '';
    // biome-ignore lint/suspicious/noControlCharactersInRegex: matching escapes is the point
    const text = last.replace(/\x1b\[\?25[lh]|\x1b\[\d*A|\r|\x1b\[2K|\x1b\[J/g, '');
    return text.split('\n').slice(0, -1);
  }
}

/** A stand-in for `process`: real listeners, a recorded `kill`. */
export function fakeProcess(): ProcessHooks & EventEmitter & { kill: ReturnType<typeof vi.fn> } {
  const proc = new EventEmitter() as EventEmitter & { pid: number; kill: ReturnType<typeof vi.fn> };
  proc.pid = 4242;
  proc.kill = vi.fn(() => true);
  return proc as never;
}
