import type { TaskProgressEvent } from '../orchestration/task-queue/task-progress-event.js';

/** One task as the display shows it. */
export interface TaskLine {
  readonly id: string;
  status: 'queued' | 'running' | 'retrying' | 'succeeded' | 'failed' | 'skipped' | 'cancelled';
  worker: string | undefined;
  startedAt: number | undefined;
  elapsedMs: number;
  costUsd: number;
  attempt: number;
  note: string | undefined;
}

/** The state of a run for display, folded from its progress events. */
export class TaskBoard {
  readonly tasks = new Map<string, TaskLine>();
  readonly startedAt = Date.now();

  constructor(ids: readonly string[]) {
    for (const id of ids) {
      this.tasks.set(id, {
        id,
        status: 'queued',
        worker: undefined,
        startedAt: undefined,
        elapsedMs: 0,
        costUsd: 0,
        attempt: 0,
        note: undefined,
      });
    }
  }

  apply(event: TaskProgressEvent): void {
    const taskId = (event as { taskId?: string }).taskId;
    const line = taskId === undefined ? undefined : this.tasks.get(taskId);
    if (!line) return;
    switch (event.type) {
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
        line.costUsd = event.costUsd;
        line.note = event.type === 'task.failed' ? event.error.message : undefined;
        break;
      case 'task.skipped':
        line.status = 'skipped';
        line.note = event.because;
        break;
      default:
        break;
    }
  }

  /** Tasks that have ended, of all. */
  progress(): { done: number; total: number; costUsd: number } {
    let done = 0;
    let costUsd = 0;
    for (const t of this.tasks.values()) {
      if (!['queued', 'running', 'retrying'].includes(t.status)) done++;
      costUsd += t.costUsd;
    }
    return { done, total: this.tasks.size, costUsd };
  }
}
