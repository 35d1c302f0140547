export {
  buildTaskPrompt,
  type DependencyOutput,
} from './build-task-prompt.js';
export { systemClock, type TaskQueueClock } from './clock.js';
export { WorkerCrashedError } from './errors/worker-crashed-error.js';
export { runTaskQueue, type TaskQueueRun } from './run-task-queue.js';
export type {
  TaskEventBase,
  TaskEventFields,
  TaskProgressEvent,
  TaskProgressEventType,
} from './task-progress-event.js';
export { taskQueryOptions } from './task-query-options.js';
export {
  type ResolvedTaskQueueOptions,
  type TaskQueueOptions,
  TaskQueueOptionsSchema,
} from './task-queue-options.js';
export type {
  TaskAssignment,
  TaskQueueRuntime,
  TaskWorkerQueue,
} from './task-scheduler.js';
export {
  type TaskWorkerInput,
  type TaskWorkerLogic,
  type TaskWorkerOutput,
  taskWorkerMachine,
} from './task-worker-machine.js';
