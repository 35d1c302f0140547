import type { NewRunLease, RunLeases } from './run-lease.js';
import type { JournalRunStatus, RunRecord, RunStart } from './run-record.js';
import type { TaskJournalEvent, TaskRecord, TaskSnapshot, TaskTransition } from './task-record.js';
import type { TaskWrite } from './task-write.js';

/** What {@link RunJournal.reopenRun} changes besides the run row. */
export interface RunReopen extends RunStart {
  /**
   * Tasks to run again from scratch: their status becomes `pending` and their output, error
   * and session are cleared (attempts and cost are kept), each with a `reset` entry.
   */
  readonly reset: readonly string[];
}

/**
 * The run journal of the task queue: each run (plan hash, status, options), each task's state
 * (status, attempts, session, cost, usage, output, error) and an append-only log of every
 * transition. Each write is one transaction (a `recordTasks` batch too), committed when its
 * promise settles (the SQLite backend commits before the call returns), so a host killed at
 * any point leaves the journal as it was after the last completed call. Outputs and error
 * messages are stored redacted. Each run has at most one lease ({@link RunLeases}): the host
 * running it.
 */
export interface RunJournal extends RunLeases {
  /**
   * Records a new run with every task `pending`, held by `lease` when given, in one
   * transaction: no other host can claim the new run before its creator holds it.
   * @throws {@link StoreError} `STORE_FAILED` when a run with that id exists already.
   */
  createRun(start: RunStart, lease?: NewRunLease): Promise<RunRecord>;
  /**
   * Marks a journalled run `running` again for a resume, in one transaction: the new plan hash
   * and options, tasks the plan added (`pending`) and removed (dropped, their log kept), and
   * the `reset` tasks made `pending`.
   * @throws {@link StoreError} `STORE_FAILED` when there is no such run.
   */
  reopenRun(reopen: RunReopen): Promise<RunRecord>;
  /**
   * Records how a run ended.
   * @param leaseToken - When given, the write is fenced: see {@link RunJournal.recordTasks}.
   * @throws {@link StoreError} `STORE_LEASE_LOST` when `leaseToken` no longer holds the run.
   */
  finishRun(
    runId: string,
    status: Exclude<JournalRunStatus, 'running'>,
    at: number,
    leaseToken?: string,
  ): Promise<void>;
  /** The run, or `undefined`. */
  getRun(runId: string): Promise<RunRecord | undefined>;
  /** Runs, newest first; only those of `planKey` when given. */
  listRuns(filter?: { readonly planKey?: string }): Promise<RunRecord[]>;
  /** The tasks of a run, in plan order. */
  tasks(runId: string): Promise<TaskRecord[]>;
  /**
   * Records a transition of a task: its row is replaced by `snapshot` and one log entry is
   * appended, in one transaction.
   * @param leaseToken - When given, the write is fenced: see {@link RunJournal.recordTasks}.
   * @throws {@link StoreError} `STORE_FAILED` when the run has no such task;
   *   `STORE_LEASE_LOST` when `leaseToken` no longer holds the run.
   */
  recordTask(
    runId: string,
    taskId: string,
    event: TaskJournalEvent,
    snapshot: TaskSnapshot,
    at: number,
    leaseToken?: string,
  ): Promise<void>;
  /**
   * Records several transitions of a run's tasks, in order, in one transaction: all of them or
   * none (what the task queue writes for one turn of the event loop; one commit instead of one
   * per transition). The same as {@link RunJournal.recordTask} for each, otherwise.
   * @param leaseToken - The token of the lease the writer holds the run by: checked inside the
   *   write's transaction (fencing), so a host whose run was taken over between two renewals
   *   of its lease cannot write over the new owner's journal. `undefined`: not checked.
   * @throws {@link StoreError} `STORE_FAILED` naming the transition that could not be written
   *   (a task the run does not have, a failing statement); `STORE_LEASE_LOST` when
   *   `leaseToken` is no longer the run's lease (taken over, released). Either way nothing of
   *   the batch is written.
   */
  recordTasks(runId: string, writes: readonly TaskWrite[], leaseToken?: string): Promise<void>;
  /** The transition log of a run (of one task when given), oldest first. */
  transitions(runId: string, taskId?: string): Promise<TaskTransition[]>;
  /** Removes a run, its tasks, its log and its lease; nothing when absent. */
  deleteRun(runId: string): Promise<void>;
}
