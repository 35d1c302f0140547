/** How a task of a run ended. */
export type TaskStatus = 'succeeded' | 'failed' | 'skipped' | 'cancelled';

/** How a run ended: `succeeded` when every task did, `cancelled` when it was cancelled. */
export type RunStatus = 'succeeded' | 'failed' | 'cancelled';

/** One task of a {@link RunSummary}. */
export interface TaskRow {
  readonly id: string;
  readonly status: TaskStatus;
  /** Runs of the task (task-level retries included); 0 when it never started. */
  readonly attempts: number;
  /** Query attempts over every run (the query's own retries included). */
  readonly queryAttempts: number;
  /** From the first start to the end of the last run, ms; 0 when it never started. */
  readonly durationMs: number;
  /** Cost of every run, USD. */
  readonly costUsd: number;
  /** The worker that ran its last run. */
  readonly worker: string | undefined;
  /** Why it failed or was cancelled. */
  readonly error: string | undefined;
  /** The error's code, when it has one (`TOTAL_TIMEOUT`, `WORKER_CRASHED`...). */
  readonly errorCode: string | undefined;
  /** For a skipped task: the failed task (an ancestor) that kept it from running. */
  readonly skippedBecause: string | undefined;
  /** The task's output (the final text, or the structured output as JSON). */
  readonly output: string | undefined;
  /** Where the report writes the output, relative to its directory (the plan's `outputFile`). */
  readonly outputFile: string | undefined;
  /** The task's git worktree, when it had one (kept only with `keepWorktrees`). */
  readonly worktree: { readonly path: string; readonly branch: string } | undefined;
  /** When it started and ended (clock ms); `undefined` when it never started. */
  readonly startedAt: number | undefined;
  readonly finishedAt: number | undefined;
}

/** The outcome of a run of a task plan. */
export interface RunSummary {
  readonly runId: string;
  readonly name: string | undefined;
  readonly status: RunStatus;
  /** Task counts by status, and in all. */
  readonly counts: Readonly<Record<TaskStatus, number>> & { readonly total: number };
  readonly startedAt: number;
  readonly finishedAt: number;
  /** From the start of the run to its end, ms. */
  readonly wallDurationMs: number;
  /** The sum of every task's `durationMs`: how long the run would take on one worker. */
  readonly taskDurationMs: number;
  /** `taskDurationMs / wallDurationMs`: what running in parallel gained (1 when no time). */
  readonly speedUp: number;
  readonly totalCostUsd: number;
  /** Workers of the run. */
  readonly workers: readonly string[];
  /** Tasks each worker ran (its last run), every worker listed. */
  readonly tasksPerWorker: Readonly<Record<string, number>>;
  /** Worker crashes during the run (each restarted by the supervisor, or not). */
  readonly workerCrashes: number;
  /** Every task, in plan order. */
  readonly tasks: readonly TaskRow[];
}
