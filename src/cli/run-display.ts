import type { TaskProgressEvent } from '../orchestration/task-queue/task-progress-event.js';
import { ansiStyle, colorEnabled, plainStyle } from './display/display-style.js';
import {
  createFrameWriter,
  type ProcessHooks,
  type TerminalStream,
} from './display/frame-writer.js';
import { renderFrame } from './display/render-frame.js';
import { formatCost, formatDuration } from './format.js';
import type { TaskBoard } from './task-board.js';

/** Options of {@link liveDisplay}. */
export interface LiveDisplayOptions {
  /**
   * Tasks run at once: the ETA divides by it.
   *
   * @defaultValue `1`
   */
  concurrency?: number;
  /**
   * The environment deciding colour (`NO_COLOR`, `FORCE_COLOR`).
   *
   * @defaultValue `process.env`
   */
  env?: NodeJS.ProcessEnv;
  /**
   * Milliseconds between frames.
   *
   * @defaultValue `200`
   */
  intervalMs?: number;
  /** `process` for the exit hooks; a fake in tests. */
  proc?: ProcessHooks;
}

/** Size used when the stream does not report one. */
const DEFAULT_COLUMNS = 80;
const DEFAULT_ROWS = 24;

/**
 * A live view of a run on a terminal, redrawn in place every `intervalMs` and on resize: the
 * frame of {@link renderFrame} fitted to the terminal's current size (`rows` and `columns`,
 * re-read on `resize`), so nothing but the last frame stays on screen or in the scrollback.
 * Coloured unless `NO_COLOR` (see {@link colorEnabled}); the cursor is hidden while it runs and
 * shown again by `stop()` or on any exit (see {@link createFrameWriter}). Only for TTYs; see
 * {@link lineReporter} otherwise.
 *
 * @param out - The terminal (`process.stdout`).
 * @param board - The run's state, updated by the caller from its progress events.
 * @param options - Concurrency for the ETA, environment, frame interval.
 * @returns `render()` draws a frame now; `stop()` draws the last one and restores the cursor
 * (call it in a `finally`).
 */
export function liveDisplay(
  out: TerminalStream,
  board: TaskBoard,
  options: LiveDisplayOptions = {},
): { render(): void; stop(): void } {
  const { concurrency = 1, env = process.env, intervalMs = 200, proc = process } = options;
  const style = colorEnabled(out, env) ? ansiStyle : plainStyle;
  const writer = createFrameWriter(out, proc);
  let stopped = false;
  const render = (): void => {
    if (stopped) return;
    const state = {
      tasks: [...board.tasks.values()],
      startedAt: board.startedAt,
      now: Date.now(),
      concurrency,
    };
    writer.draw(
      renderFrame(state, out.columns || DEFAULT_COLUMNS, out.rows || DEFAULT_ROWS, style),
    );
  };
  const timer = setInterval(render, intervalMs);
  // A display must never be what keeps a process alive.
  timer.unref?.();
  out.on('resize', render);
  render();
  return {
    render,
    stop: () => {
      if (stopped) return;
      clearInterval(timer);
      out.off('resize', render);
      render();
      stopped = true;
      writer.close();
    },
  };
}

/** Plain progress lines, one per event, for logs and pipes. */
export function lineReporter(out: NodeJS.WritableStream): (event: TaskProgressEvent) => void {
  return (event) => {
    const at = `+${formatDuration(event.elapsedMs)}`.padEnd(10);
    switch (event.type) {
      case 'task.started':
        out.write(
          `${at} started   ${event.taskId} on ${event.workerId} (attempt ${event.attempt})\n`,
        );
        break;
      case 'task.retrying':
        out.write(`${at} retrying  ${event.taskId}: ${event.error.message}\n`);
        break;
      case 'task.succeeded':
        out.write(
          `${at} succeeded ${event.taskId} in ${formatDuration(event.durationMs)}, ${formatCost(event.costUsd)}\n`,
        );
        break;
      case 'task.failed':
        out.write(`${at} failed    ${event.taskId}: ${event.error.message}\n`);
        break;
      case 'task.skipped':
        out.write(`${at} skipped   ${event.taskId}: ${event.because}\n`);
        break;
      case 'task.cancelled':
        out.write(`${at} cancelled ${event.taskId}\n`);
        break;
      case 'task.restored':
        out.write(`${at} kept      ${event.taskId}: ${event.status} (from the journal)\n`);
        break;
      default:
        break;
    }
  };
}
