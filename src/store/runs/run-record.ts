/**
 * How a run stands in the journal: `running` from its start until it ends (also when the host
 * died: nothing marks it then), else how it ended.
 */
export type JournalRunStatus = 'running' | 'succeeded' | 'failed' | 'cancelled';

/** One run of a task plan, as the journal keeps it. */
export interface RunRecord {
  readonly runId: string;
  /**
   * What identifies "the same plan" when resuming without a run id: the plan's name, or its
   * hash when it has none.
   */
  readonly planKey: string;
  readonly planName: string | undefined;
  /** Hash of the normalised plan (tasks, prompts, dependencies, options): see `planHash`. */
  readonly planHash: string;
  readonly status: JournalRunStatus;
  /** When the run first started (clock ms). */
  readonly startedAt: number;
  /** When it last ended; `undefined` while it runs (or when its host died). */
  readonly finishedAt: number | undefined;
  /** Last change, ms. */
  readonly updatedAt: number;
  /** Times the run was resumed. */
  readonly resumes: number;
  /** The options that matter for a resume (workers, output folder, policy), as JSON. */
  readonly options: Readonly<Record<string, unknown>>;
}

/** What `RunJournal.createRun` and `RunJournal.reopenRun` are given. */
export interface RunStart {
  readonly runId: string;
  readonly planKey: string;
  readonly planName: string | undefined;
  readonly planHash: string;
  readonly at: number;
  readonly options: Readonly<Record<string, unknown>>;
  /** The plan's tasks in plan order, each with the hash of its normalised definition. */
  readonly tasks: ReadonlyArray<{ readonly taskId: string; readonly hash: string }>;
}
