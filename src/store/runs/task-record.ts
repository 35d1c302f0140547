/**
 * Where a task stands in the journal: `pending` (waits for dependencies), `queued` (ready, waits
 * for a worker), `running` (a run of it is in flight), `retrying` (a run failed, another
 * follows), or how it ended.
 */
export type JournalTaskStatus =
  | 'pending'
  | 'queued'
  | 'running'
  | 'retrying'
  | 'succeeded'
  | 'failed'
  | 'skipped'
  | 'cancelled';

/**
 * What happened to a task, one per journal entry: `created` (the run started), `queued`,
 * `started` (a run began, with its query id), `session` (the CLI named the run's session),
 * `retrying`, `succeeded`, `failed`, `skipped`, `cancelled`, `reset` (a resume reruns it).
 */
export type TaskJournalEvent =
  | 'created'
  | 'queued'
  | 'started'
  | 'session'
  | 'retrying'
  | 'succeeded'
  | 'failed'
  | 'skipped'
  | 'cancelled'
  | 'reset';

/** Token counts over every run of a task. */
export interface TaskUsageRecord {
  readonly inputTokens: number;
  readonly outputTokens: number;
  readonly cacheReadInputTokens: number;
  readonly cacheCreationInputTokens: number;
}

/** The state of a task the journal stores at each transition (the whole row, replaced). */
export interface TaskSnapshot {
  readonly status: JournalTaskStatus;
  /** Runs started, crashed ones included. */
  readonly attempts: number;
  /** Runs that ended failed (what the task's `retry.attempts` bounds). */
  readonly failures: number;
  /** Query attempts over every run (the query's own retries included). */
  readonly queryAttempts: number;
  /** The query of the latest run. */
  readonly queryId: string | undefined;
  /** The CLI session of the latest run, as soon as the CLI named it. */
  readonly sessionId: string | undefined;
  /** Cost of every run, USD. */
  readonly costUsd: number;
  readonly usage: TaskUsageRecord | undefined;
  /** The output of a succeeded task (stored redacted). */
  readonly output: string | undefined;
  /** Why it failed, was cancelled or skipped (stored redacted). */
  readonly error: string | undefined;
  readonly errorCode: string | undefined;
  readonly worker: string | undefined;
  /** For a skipped task: the task that did not succeed. */
  readonly skippedBecause: string | undefined;
  readonly startedAt: number | undefined;
  readonly finishedAt: number | undefined;
}

/** A task of a run, as the journal keeps it. */
export interface TaskRecord extends TaskSnapshot {
  readonly runId: string;
  readonly taskId: string;
  /** Position in the plan, from 0. */
  readonly position: number;
  /** Hash of the task's normalised definition when the run (or its last resume) started. */
  readonly hash: string;
  /** Last change, ms. */
  readonly updatedAt: number;
}

/** One entry of a task's append-only transition log. */
export interface TaskTransition {
  readonly runId: string;
  readonly taskId: string;
  /** Order of the entry in its run's log (increasing; the SQLite journal numbers each run's log 1, 2, 3…). */
  readonly seq: number;
  readonly event: TaskJournalEvent;
  /** The task's status after it. */
  readonly status: JournalTaskStatus;
  readonly at: number;
  readonly attempts: number;
  readonly queryId: string | undefined;
  readonly sessionId: string | undefined;
  readonly costUsd: number;
  readonly error: string | undefined;
}

/** A task that has not started: what a new run (or a reset) journals. */
export const PENDING_TASK: TaskSnapshot = {
  status: 'pending',
  attempts: 0,
  failures: 0,
  queryAttempts: 0,
  queryId: undefined,
  sessionId: undefined,
  costUsd: 0,
  usage: undefined,
  output: undefined,
  error: undefined,
  errorCode: undefined,
  worker: undefined,
  skippedBecause: undefined,
  startedAt: undefined,
  finishedAt: undefined,
};
