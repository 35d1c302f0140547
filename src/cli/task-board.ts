import type { TaskProgressEvent } from '../orchestration/task-queue/task-progress-event.js';

/** One task as the display shows it. */
export interface TaskLine {
  readonly id: string;
  status: 'queued' | 'running' | 'retrying' | 'succeeded' | 'failed' | 'skipped' | 'cancelled';
  worker: string | undefined;
  /** Clock time of the first start (ms). */
  startedAt: number | undefined;
  /** Clock time the task ended (ms). */
  endedAt: number | undefined;
  /** Time from first start to the end (ms), once ended. */
  elapsedMs: number;
  costUsd: number;
  attempt: number;
  note: string | undefined;
}

/** The state of a run for display, folded from its progress events. */
export class TaskBoard {
  readonly tasks = new Map<string, TaskLine>();

  /**
   * @param ids - The tasks of the run, in plan order.
   * @param startedAt - Clock time the run started (ms).
   */
  constructor(
    ids: readonly string[],
    readonly startedAt: number = Date.now(),
  ) {
    for (const id of ids) {
      this.tasks.set(id, {
        id,
        status: 'queued',
        worker: undefined,
        startedAt: undefined,
        endedAt: undefined,
        elapsedMs: 0,
        costUsd: 0,
        attempt: 0,
        note: undefined,
      });
    }
  }

  /** Folds one progress event into its task's line; events of unknown tasks are ignored. */
  apply(event: TaskProgressEvent): void {
    const taskId = (event as { taskId?: string }).taskId;
    const line = taskId === undefined ? undefined : this.tasks.get(taskId);
    if (!line) return;
    switch (event.type) {
      case 'task.queued':
        // Back in the queue after its worker crashed.
        if (event.requeued) line.status = 'queued';
        break;
      case 'task.started':
        line.status = 'running';
        line.worker = event.workerId;
        line.attempt = event.attempt;
        line.startedAt ??= event.at;
        break;
      case 'task.retrying':
        line.status = 'retrying';
        line.costUsd += event.costUsd;
        line.note = event.error.message;
        break;
      case 'task.succeeded':
      case 'task.failed':
      case 'task.cancelled':
        line.status = event.type.slice(5) as TaskLine['status'];
        line.elapsedMs = event.durationMs;
        line.endedAt = event.at;
        line.costUsd = event.costUsd;
        line.note = event.type === 'task.failed' ? event.error.message : undefined;
        break;
      case 'task.skipped':
        line.status = 'skipped';
        line.endedAt = event.at;
        line.note = `skipped: ${event.because} did not succeed`;
        break;
      case 'task.restored':
        line.status = event.status;
        line.endedAt = event.at;
        line.costUsd = event.costUsd;
        line.note = 'kept from the journal';
        break;
      default:
        break;
    }
  }
}
