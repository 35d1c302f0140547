import { bar, formatCost, formatDuration } from '../format.js';
import type { TaskLine } from '../task-board.js';
import { fitColumns } from './column-width.js';
import { type DisplayStyle, type DisplayTone, plainStyle } from './display-style.js';
import { ENDED_STATUSES, estimateRemainingMs } from './estimate-remaining.js';

/** What one frame of the live display shows. */
export interface FrameState {
  /** Every task of the run, in plan order. */
  readonly tasks: readonly TaskLine[];
  /** Clock time the run started (ms). */
  readonly startedAt: number;
  /** Clock time of the frame (ms). */
  readonly now: number;
  /** Tasks run at once (the workers): divides the ETA. */
  readonly concurrency: number;
}

const SYMBOL: Record<TaskLine['status'], string> = {
  queued: '·',
  running: '▶',
  retrying: '↻',
  succeeded: '✓',
  failed: '✗',
  skipped: '⤼',
  cancelled: '■',
};

const TONE: Record<TaskLine['status'], DisplayTone> = {
  queued: 'muted',
  running: 'running',
  retrying: 'retrying',
  succeeded: 'succeeded',
  failed: 'failed',
  skipped: 'muted',
  cancelled: 'muted',
};

/** Longest task id shown in full. */
const MAX_ID_WIDTH = 24;

/** A piece of a line and its colour. */
type Segment = readonly [tone: DisplayTone | undefined, text: string];

/**
 * One frame of the live display, fitted to a terminal of `width` × `height`: never more than
 * `height - 1` lines (the cursor waits on the line below, so the frame never scrolls and can be
 * redrawn in place), no line longer than `width - 1` visible characters (none wraps).
 *
 * When every task fits, one row per task in plan order. Otherwise running tasks first (the
 * longest-running first), then the tasks that ended most recently (failures first), then the
 * next queued ones, as far as there is room; then one line of counts over all tasks
 * (`✓ 12 done, 3 failed · 9 queued`). The last line is
 * the progress bar with elapsed time, ETA (see {@link estimateRemainingMs}) and cost.
 *
 * Pure: the same state and size give the same lines.
 *
 * @param state - Tasks, clock and concurrency.
 * @param width - Terminal columns.
 * @param height - Terminal rows.
 * @param style - Colours (`plainStyle`: none).
 * @returns The lines of the frame, without newlines.
 */
export function renderFrame(
  state: FrameState,
  width: number,
  height: number,
  style: DisplayStyle = plainStyle,
): string[] {
  const budget = Math.max(1, Math.floor(height) - 1);
  const columns = Math.max(1, Math.floor(width) - 1);
  const summary = summaryLine(state, columns);
  const idWidth = Math.min(MAX_ID_WIDTH, Math.max(4, ...state.tasks.map((t) => t.id.length)));
  const row = (task: TaskLine) => taskRow(task, state.now, idWidth);
  let lines: Segment[][];
  if (state.tasks.length + 1 <= budget) {
    lines = [...state.tasks.map(row), summary];
  } else if (budget === 1) {
    lines = [summary];
  } else {
    const room = budget - 2;
    const active = state.tasks
      .filter((t) => t.status === 'running' || t.status === 'retrying')
      .sort((a, b) => (a.startedAt ?? 0) - (b.startedAt ?? 0));
    const shownActive = active.slice(0, room);
    const ended = state.tasks
      .filter((t) => ENDED_STATUSES.has(t.status))
      .sort(
        (a, b) =>
          Number(b.status === 'failed') - Number(a.status === 'failed') ||
          (b.endedAt ?? 0) - (a.endedAt ?? 0),
      )
      .slice(0, room - shownActive.length);
    const next = state.tasks
      .filter((t) => t.status === 'queued')
      .slice(0, room - shownActive.length - ended.length);
    lines = [
      ...shownActive.map(row),
      ...ended.map(row),
      ...next.map(row),
      countsLine(state.tasks, active.length - shownActive.length),
      summary,
    ];
  }
  return lines.map((segments) => fitLine(segments, columns, style));
}

function taskRow(task: TaskLine, now: number, idWidth: number): Segment[] {
  const live = task.status === 'running' || task.status === 'retrying';
  const elapsed = live && task.startedAt !== undefined ? now - task.startedAt : task.elapsedMs;
  const id = task.id.length > idWidth ? `${task.id.slice(0, idWidth - 1)}…` : task.id;
  const timing = task.status === 'queued' ? '' : formatDuration(elapsed);
  const cost = task.status === 'queued' ? '' : formatCost(task.costUsd);
  return [
    [TONE[task.status], `${SYMBOL[task.status]} ${id.padEnd(idWidth)} ${task.status.padEnd(9)}`],
    [undefined, ` ${(task.worker ?? '').padEnd(9)} ${timing.padStart(8)} ${cost.padStart(7)}`],
    ...(task.note ? [['muted', `  ${oneLine(task.note)}`] as const] : []),
  ];
}

function countsLine(tasks: readonly TaskLine[], hiddenRunning: number): Segment[] {
  const count = (status: TaskLine['status']) => tasks.filter((t) => t.status === status).length;
  const failed = count('failed');
  const segments: Segment[] = [
    ['succeeded', `✓ ${count('succeeded')} done`],
    [failed > 0 ? 'failed' : undefined, `, ${failed} failed`],
  ];
  for (const status of ['skipped', 'cancelled'] as const) {
    const n = count(status);
    if (n > 0) segments.push(['muted', `, ${n} ${status}`]);
  }
  const queued = count('queued');
  if (queued > 0) segments.push([undefined, ` · ${queued} queued`]);
  if (hiddenRunning > 0) segments.push(['running', ` · +${hiddenRunning} running`]);
  return segments;
}

function summaryLine(state: FrameState, columns: number): Segment[] {
  const { tasks, now, startedAt, concurrency } = state;
  const done = tasks.filter((t) => ENDED_STATUSES.has(t.status)).length;
  const running = tasks.filter((t) => t.status === 'running' || t.status === 'retrying').length;
  const costUsd = tasks.reduce((sum, t) => sum + t.costUsd, 0);
  const eta = estimateRemainingMs(tasks, concurrency);
  const etaText = eta === undefined ? 'ETA –' : eta === 0 ? 'done' : `ETA ${formatDuration(eta)}`;
  const text =
    `${done}/${tasks.length} tasks · ${running} running · ${formatDuration(now - startedAt)} elapsed` +
    ` · ${etaText} · ${formatCost(costUsd)}`;
  // The bar takes what the text leaves, and goes when too narrow to mean anything.
  const barWidth = Math.min(24, columns - text.length - 3);
  return barWidth >= 5
    ? [
        ['strong', bar(done, tasks.length, barWidth)],
        [undefined, ` ${text}`],
      ]
    : [[undefined, text]];
}

/**
 * Cuts the visible text to `columns` terminal columns (a wide character takes two), then
 * colours it (escapes take no column).
 */
function fitLine(segments: readonly Segment[], columns: number, style: DisplayStyle): string {
  let left = columns;
  let out = '';
  for (const [tone, text] of segments) {
    if (left <= 0) break;
    const fitted = fitColumns(text, left);
    left -= fitted.width;
    const piece = fitted.text;
    out += tone === undefined || piece === '' ? piece : style(tone, piece);
    if (piece.length < text.length) break;
  }
  return out;
}

/** A note (an error message) on one line, control characters removed. */
function oneLine(text: string): string {
  // biome-ignore lint/suspicious/noControlCharactersInRegex: stripping them is the point
  return text.replace(/[\u0000-\u001f\u007f-\u009f]+/g, ' ').trim();
}
