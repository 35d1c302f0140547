import type { TaskProgressEvent } from '../orchestration/task-queue/task-progress-event.js';
import { bar, formatCost, formatDuration } from './format.js';
import type { TaskBoard } from './task-board.js';

const SYMBOL: Record<string, string> = {
  queued: '·',
  running: '▶',
  retrying: '↻',
  succeeded: '✓',
  failed: '✗',
  skipped: '⤼',
  cancelled: '■',
};

/**
 * A live view of a run in a terminal: one line per task (state, worker, elapsed, cost) and an
 * overall bar, redrawn in place. Only for TTYs; see {@link lineReporter} otherwise.
 */
export function liveDisplay(
  out: NodeJS.WriteStream,
  board: TaskBoard,
): { render(): void; stop(): void } {
  let lines = 0;
  const render = (): void => {
    const now = Date.now();
    const rows = [...board.tasks.values()].map((t) => {
      const elapsed = t.status === 'running' && t.startedAt ? now - t.startedAt : t.elapsedMs;
      const note = t.note ? `  ${t.note.slice(0, 60)}` : '';
      return `${SYMBOL[t.status]} ${t.id.padEnd(20)} ${t.status.padEnd(9)} ${(t.worker ?? '').padEnd(9)} ${formatDuration(elapsed).padStart(9)} ${formatCost(t.costUsd)}${note}`;
    });
    const { done, total, costUsd } = board.progress();
    rows.push(
      `${bar(done, total)} ${done}/${total} tasks  ${formatDuration(now - board.startedAt)}  ${formatCost(costUsd)}`,
    );
    // Move up over the previous frame, then clear and redraw each line.
    if (lines > 0) out.write(`\x1b[${lines}A`);
    for (const row of rows) out.write(`\x1b[2K${row.slice(0, (out.columns || 120) - 1)}\n`);
    lines = rows.length;
  };
  const timer = setInterval(render, 200);
  render();
  return {
    render,
    stop: () => {
      clearInterval(timer);
      render();
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
      default:
        break;
    }
  };
}
