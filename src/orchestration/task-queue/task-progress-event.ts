import type { TaskStatus } from '../report/run-summary.js';

/** Fields every progress event carries. */
export interface TaskEventBase {
  readonly runId: string;
  /** Clock time of the event (ms). */
  readonly at: number;
  /** Since the run started (ms). */
  readonly elapsedMs: number;
}

/** Fields of the events about one task. */
export interface TaskEventFields extends TaskEventBase {
  readonly taskId: string;
}

/**
 * What happened in a run, one event per change, in order:
 *
 * - `task.queued`: the task is ready (its dependencies succeeded) and waits for a worker;
 *   `requeued` when it comes back after its worker crashed.
 * - `task.started`: a worker began a run of the task (`attempt` counts runs from 1).
 * - `task.retrying`: a run failed and the task will run again (`retry.attempts`).
 * - `task.succeeded` / `task.failed` / `task.cancelled`: the task ended; with its runs, time
 *   from first start (`durationMs`) and cost over every run.
 * - `task.skipped`: a dependency did not succeed; `because` names the task that failed (an
 *   ancestor), `via` the dependency it reached this task through.
 * - `task.restored`: a resumed run kept the task as the journal has it (succeeded, or failed /
 *   cancelled under `resumePolicy: 'keep'`); it does not run again. First, before any other.
 * - `worker.crashed`: a worker actor crashed; the supervisor restarts it (`restarting`) and
 *   the task it held is queued again (or fails after too many crashes).
 */
export type TaskProgressEvent =
  | (TaskEventFields & {
      readonly type: 'task.queued';
      readonly priority: number;
      readonly requeued: boolean;
    })
  | (TaskEventFields & {
      readonly type: 'task.started';
      readonly workerId: string;
      readonly attempt: number;
      /** The query of this run (`runtime.running()` lists it). */
      readonly queryId: string;
    })
  | (TaskEventFields & {
      readonly type: 'task.retrying';
      readonly workerId: string;
      /** The run that failed. */
      readonly attempt: number;
      readonly error: Error;
      readonly costUsd: number;
    })
  | (TaskEventFields & {
      readonly type: 'task.succeeded';
      readonly workerId: string;
      readonly attempts: number;
      readonly durationMs: number;
      readonly costUsd: number;
      readonly output: string;
    })
  | (TaskEventFields & {
      readonly type: 'task.failed';
      readonly workerId: string | undefined;
      readonly attempts: number;
      readonly durationMs: number;
      readonly costUsd: number;
      readonly error: Error;
    })
  | (TaskEventFields & {
      readonly type: 'task.skipped';
      readonly because: string;
      readonly via: string;
    })
  | (TaskEventFields & {
      readonly type: 'task.cancelled';
      readonly workerId: string | undefined;
      readonly attempts: number;
      readonly durationMs: number;
      readonly costUsd: number;
      readonly reason: unknown;
    })
  | (TaskEventFields & {
      readonly type: 'task.restored';
      readonly status: TaskStatus;
      /** Runs and cost so far, from the journal. */
      readonly attempts: number;
      readonly costUsd: number;
      /** The output of a succeeded task. */
      readonly output: string | undefined;
    })
  | (TaskEventBase & {
      readonly type: 'worker.crashed';
      readonly workerId: string;
      readonly taskId: string | undefined;
      readonly error: unknown;
      readonly restarting: boolean;
    });

/** The `type` of a {@link TaskProgressEvent}. */
export type TaskProgressEventType = TaskProgressEvent['type'];
