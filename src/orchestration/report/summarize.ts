import type { RunStatus, RunSummary, TaskRow, TaskStatus } from './run-summary.js';

/** What {@link summarize} aggregates. */
export interface SummarizeInput {
  readonly runId: string;
  readonly name?: string | undefined;
  readonly startedAt: number;
  readonly finishedAt: number;
  readonly workers: readonly string[];
  readonly tasks: readonly TaskRow[];
  /** Whether the run was cancelled. @defaultValue false */
  readonly cancelled?: boolean;
  /** @defaultValue 0 */
  readonly workerCrashes?: number;
}

/**
 * Aggregates the rows of a run into a {@link RunSummary}: counts by status, wall time, the
 * speed-up over running the tasks one after another, total cost and tasks per worker. Pure.
 *
 * @example
 * ```ts
 * const summary = summarize({ runId: 'r', startedAt: 0, finishedAt: 100, workers, tasks });
 * summary.speedUp; // e.g. 1.8 when 180 ms of task time ran in 100 ms
 * ```
 */
export function summarize(input: SummarizeInput): RunSummary {
  const counts: Record<TaskStatus, number> = { succeeded: 0, failed: 0, skipped: 0, cancelled: 0 };
  const tasksPerWorker: Record<string, number> = Object.fromEntries(
    input.workers.map((worker) => [worker, 0]),
  );
  let taskDurationMs = 0;
  let totalCostUsd = 0;
  for (const task of input.tasks) {
    counts[task.status] += 1;
    taskDurationMs += task.durationMs;
    totalCostUsd += task.costUsd;
    if (task.worker !== undefined && task.attempts > 0) {
      tasksPerWorker[task.worker] = (tasksPerWorker[task.worker] ?? 0) + 1;
    }
  }
  const wallDurationMs = Math.max(0, input.finishedAt - input.startedAt);
  let status: RunStatus = 'succeeded';
  if (input.cancelled || counts.cancelled > 0) status = 'cancelled';
  else if (counts.failed > 0 || counts.skipped > 0) status = 'failed';
  return {
    runId: input.runId,
    name: input.name,
    status,
    counts: { ...counts, total: input.tasks.length },
    startedAt: input.startedAt,
    finishedAt: input.finishedAt,
    wallDurationMs,
    taskDurationMs,
    speedUp: wallDurationMs > 0 ? taskDurationMs / wallDurationMs : 1,
    totalCostUsd,
    workers: [...input.workers],
    tasksPerWorker,
    workerCrashes: input.workerCrashes ?? 0,
    tasks: input.tasks,
  };
}
