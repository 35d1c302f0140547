import { assign, fromPromise, setup } from 'xstate';
import type { TaskAssignment, TaskWorkerQueue } from './task-scheduler.js';

/** Input of a task worker actor. */
export interface TaskWorkerInput {
  /** The worker's id (its child id under the worker supervisor): `worker-1`, `worker-2`… */
  readonly workerId: string;
  readonly queue: TaskWorkerQueue;
}

/** What a task worker ends with, when nothing is left to do. */
export interface TaskWorkerOutput {
  readonly workerId: string;
  /** Tasks this actor instance ran (a restarted worker counts from 0). */
  readonly completed: number;
}

/**
 * A task worker: pulls the next ready task from the queue (`takeTask`), runs it (`runTask`),
 * and pulls again, until the queue has nothing left (final state). A failure of either actor
 * is not handled here: the worker errors, and its supervisor restarts it while the queue
 * puts the task it held back in line (let it crash). Swap either actor with
 * `taskWorkerMachine.provide({ actors: { runTask } })` in tests.
 */
export const taskWorkerMachine = setup({
  types: {
    input: {} as TaskWorkerInput,
    context: {} as TaskWorkerInput & {
      readonly assignment: TaskAssignment | undefined;
      readonly completed: number;
    },
    output: {} as TaskWorkerOutput,
  },
  actors: {
    takeTask: fromPromise<TaskAssignment | undefined, TaskWorkerInput>(({ input, signal }) =>
      input.queue.take(input.workerId, signal),
    ),
    runTask: fromPromise<
      void,
      { readonly queue: TaskWorkerQueue; readonly assignment: TaskAssignment }
    >(({ input }) => input.queue.execute(input.assignment)),
  },
}).createMachine({
  id: 'task-worker',
  context: ({ input }) => ({ ...input, assignment: undefined, completed: 0 }),
  initial: 'idle',
  states: {
    idle: {
      invoke: {
        src: 'takeTask',
        input: ({ context }) => ({ workerId: context.workerId, queue: context.queue }),
        onDone: [
          { guard: ({ event }) => event.output === undefined, target: 'finished' },
          { target: 'working', actions: assign({ assignment: ({ event }) => event.output }) },
        ],
      },
    },
    working: {
      invoke: {
        src: 'runTask',
        input: ({ context }) => ({ queue: context.queue, assignment: context.assignment! }),
        onDone: {
          target: 'idle',
          actions: assign({
            assignment: undefined,
            completed: ({ context }) => context.completed + 1,
          }),
        },
      },
    },
    finished: { type: 'final' },
  },
  output: ({ context }) => ({ workerId: context.workerId, completed: context.completed }),
});

/** The logic of a task worker ({@link taskWorkerMachine} or a variant of it). */
export type TaskWorkerLogic = typeof taskWorkerMachine;
