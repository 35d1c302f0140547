import type { TaskLine } from '../task-board.js';

/** Statuses after which a task runs no more. */
export const ENDED_STATUSES: ReadonlySet<TaskLine['status']> = new Set([
  'succeeded',
  'failed',
  'skipped',
  'cancelled',
]);

/**
 * Time left for a run, estimated as the mean duration of the tasks that ran to an end
 * (succeeded or failed) × the tasks not ended / the concurrency. `undefined` until a task has
 * ended, and `0` once every task has.
 *
 * @param tasks - Every task of the run.
 * @param concurrency - How many tasks run at once (the workers).
 */
export function estimateRemainingMs(
  tasks: readonly TaskLine[],
  concurrency: number,
): number | undefined {
  const remaining = tasks.filter((t) => !ENDED_STATUSES.has(t.status)).length;
  if (remaining === 0) return 0;
  const ran = tasks.filter((t) => t.status === 'succeeded' || t.status === 'failed');
  if (ran.length === 0) return undefined;
  const mean = ran.reduce((sum, t) => sum + t.elapsedMs, 0) / ran.length;
  return (mean * remaining) / Math.max(1, concurrency);
}
