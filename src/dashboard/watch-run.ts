import type { Observable } from 'rxjs';
import type { TaskProgressEvent } from '../orchestration/task-queue/task-progress-event.js';
import type { DashboardState } from './dashboard-state.js';

/** What the dashboard reads of a run: a `TaskQueueRun` has it. */
export interface DashboardRunSource {
  readonly runId: string;
  readonly progress$: Observable<TaskProgressEvent>;
}

/** The plan of a run as the DAG needs it: a `Plan` (or plan input) has it. */
export interface DashboardPlan {
  readonly name?: string | undefined;
  readonly tasks: readonly { readonly id: string; readonly dependsOn?: readonly string[] }[];
}

/**
 * Shows a run in `state`: its tasks as a DAG, each task's state as its progress events come,
 * failures among the errors, the run as done when its progress completes.
 *
 * @returns Stops watching.
 * @internal
 */
export function watchRun(
  state: DashboardState,
  run: DashboardRunSource,
  plan: DashboardPlan,
): () => void {
  state.addRun(run.runId, plan.tasks, plan.name);
  const subscription = run.progress$.subscribe({
    next: (event) => state.applyTaskEvent(event),
    error: (error: unknown) => {
      state.addError(`run ${run.runId}`, error);
      state.endRun(run.runId);
    },
    complete: () => state.endRun(run.runId),
  });
  return () => subscription.unsubscribe();
}
