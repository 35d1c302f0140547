import type { InspectionEvent, Observer } from 'xstate';
import { z } from 'zod';
import type { TaskQueueClock } from '../../core/clock.js';
import type { Logger } from '../../core/logging/create-logger.js';
import { MAX_TIMER_MESSAGE, MAX_TIMER_MS } from '../../core/validation/max-timer-ms.js';
import { validate } from '../../core/validation/validate.js';
import type { Store } from '../../store/store.js';
import { PluginsSchema } from '../../telemetry/plugins/plugins-schema.js';
import { TelemetryOptionsSchema } from '../../telemetry/telemetry-options.js';
import type { TaskQueueBackend } from './task-queue-backend.js';
import type { TaskWorkerLogic } from './task-worker-machine.js';

const positiveInt = z.number().int().positive();
const timerMs = positiveInt.max(MAX_TIMER_MS, { error: MAX_TIMER_MESSAGE });
const nonNegativeInt = z.number().int().nonnegative();
const objectOf = <T>(error: string) =>
  z.custom<T>((v) => typeof v === 'object' && v !== null, { error });

/** Options of `runTaskQueue`. */
export const TaskQueueOptionsSchema = z
  .strictObject({
    /**
     * Worker actors, i.e. tasks running at once.
     * @defaultValue the plan's `workers`, else the number of tasks up to 4
     */
    workers: positiveInt.optional(),
    /** Write the report there when the run ends (`report.json`, `tasks/<id>.md`). */
    outputDir: z.string().min(1).optional(),
    /** Aborting cancels the run: running tasks are cancelled, pending ones reported cancelled. */
    signal: z
      .custom<AbortSignal>((v) => v instanceof AbortSignal, { error: 'expected an AbortSignal' })
      .optional(),
    /** @defaultValue the system clock */
    clock: z
      .custom<TaskQueueClock>((v) => typeof (v as { now?: unknown } | null)?.now === 'function', {
        error: 'expected a clock (an object with `now()`)',
      })
      .optional(),
    /**
     * Names the run (branches `claude-actors/<runId>/<task-id>`, query ids, tags).
     * @defaultValue `<plan name or "run">-<time>-<random>`
     */
    runId: z
      .string()
      .regex(/^[A-Za-z0-9][A-Za-z0-9_-]{0,63}$/, {
        error: 'expected up to 64 letters, digits, `_` and `-`, starting with a letter or digit',
      })
      .optional(),
    /**
     * The repository worktree tasks are created from.
     * @defaultValue the plan's `defaults.cwd`, else the current directory
     */
    cwd: z.string().min(1).optional(),
    /**
     * Keep the worktrees and branches of worktree tasks after the run (their paths are in the
     * summary); `cleanupWorktrees(repo, { all: true })` removes them later.
     * @defaultValue false
     */
    keepWorktrees: z.boolean().default(false),
    /** Where worktrees are created. @defaultValue a directory under the OS temp directory */
    worktreeRoot: z.string().min(1).optional(),
    /**
     * Crashes of the workers holding one task before the task fails (`WorkerCrashedError`);
     * below it the task is queued again. Crashes do not use up `retry.attempts`.
     * @defaultValue 2
     */
    maxWorkerCrashes: nonNegativeInt.default(2),
    /** Restart limits of the worker supervisor (OTP intensity within period seconds). */
    supervisor: z
      .strictObject({
        /** @defaultValue 10 */
        intensity: nonNegativeInt.default(10),
        /** Seconds. @defaultValue 10 */
        period: z.number().positive().default(10),
      })
      .prefault({}),
    /** An XState inspection observer for the worker supervisor and its workers. */
    inspect: z
      .custom<Observer<InspectionEvent> | ((event: InspectionEvent) => void)>(
        (v) => typeof v === 'function' || (typeof v === 'object' && v !== null),
        { error: 'expected an inspection observer or function' },
      )
      .optional(),
    /** A pino logger; silent when absent. */
    logger: objectOf<Logger>('expected a pino logger').optional(),
    /**
     * Plugins whose `onTaskStart` / `onTaskEnd` hooks follow the run's tasks (their query hooks
     * are the runtime's: give the same list to `createRuntime`).
     * @defaultValue `[]`
     */
    plugins: PluginsSchema.default([]),
    /**
     * The tracer provider of the run's `invoke_workflow` span.
     * @defaultValue the global one
     */
    tracerProvider: TelemetryOptionsSchema.shape.tracerProvider,
    /**
     * Runs the tasks' queries there instead of on the runtime, e.g. `bullmqBackend({ connection })`
     * (workers on other machines through Redis). The DAG, the journal and the report stay here.
     * @defaultValue the runtime
     */
    backend: z
      .custom<TaskQueueBackend>(
        (v) => typeof (v as { query?: unknown } | null)?.query === 'function',
        {
          error: 'expected a task queue backend (an object with `query()`, e.g. `bullmqBackend()`)',
        },
      )
      .optional(),
    /** Replaces the worker logic (tests inject crashing workers). @internal */
    worker: objectOf<TaskWorkerLogic>('expected actor logic').optional(),
    /**
     * Journal the run there (`openSqliteStore(file)`): every task transition is committed as it
     * happens, so `resume` can continue the run after the host died.
     */
    store: z
      .custom<Store>(
        (v) =>
          typeof v === 'object' &&
          v !== null &&
          typeof (v as { runs?: { createRun?: unknown } }).runs?.createRun === 'function',
        { error: 'expected a store (`openSqliteStore(file)` or `createMemoryStore()`)' },
      )
      .optional(),
    /**
     * Continue a journalled run instead of starting a new one: the run `runId`, else the plan's
     * latest run when it did not succeed (same plan `name`, or same hash for a plan without
     * one); a new run starts when there is none. Succeeded tasks are kept (their outputs come
     * from the journal), a task in flight continues its CLI session (`--resume`) when one was
     * recorded, else runs again; failed and cancelled tasks follow `resumePolicy`, skipped ones
     * are decided again. Needs `store`.
     * @defaultValue false
     */
    resume: z.boolean().default(false),
    /** What a resume does with tasks that ended without success. */
    resumePolicy: z
      .strictObject({
        /** `rerun` (from scratch, a fresh `retry.attempts`) or `keep` (stays failed). @defaultValue 'rerun' */
        failed: z.enum(['rerun', 'keep']).default('rerun'),
        /** `rerun` or `keep` (stays cancelled). @defaultValue 'rerun' */
        cancelled: z.enum(['rerun', 'keep']).default('rerun'),
      })
      .prefault({}),
    /**
     * When the plan changed since the journalled run: `refuse` (a `ResumeRefusedError` listing
     * the task ids added, removed and changed) or `reconcile` (changed and added tasks and their
     * dependents run again, the rest is kept, removed tasks are dropped).
     * @defaultValue 'refuse'
     */
    resumeChangedPlan: z.enum(['refuse', 'reconcile']).default('refuse'),
    /**
     * The run's lease in the journal (with a `store`): the host running it renews it every
     * `renewMs`; a resume on another machine sharing the store may take the run over once it
     * went `expireMs` without a renewal. On one machine the owner's pid decides at once.
     */
    lease: z
      .strictObject({
        /** Heartbeat interval, ms. @defaultValue 5000 */
        renewMs: timerMs.default(5_000),
        /** How long the lease holds without a heartbeat, ms. @defaultValue 30000 */
        expireMs: timerMs.default(30_000),
      })
      .prefault({}),
    /**
     * What a task in flight when the host died is told when its session is resumed.
     * @defaultValue {@link DEFAULT_CONTINUATION_PROMPT}
     */
    continuationPrompt: z.string().trim().min(1).optional(),
  })
  .superRefine((options, ctx) => {
    if (options.lease.expireMs <= options.lease.renewMs) {
      ctx.addIssue({
        code: 'custom',
        path: ['lease', 'expireMs'],
        message: `must be longer than \`lease.renewMs\` (${options.lease.renewMs})`,
        input: options.lease.expireMs,
      });
    }
    if (options.resume && options.store === undefined) {
      ctx.addIssue({
        code: 'custom',
        path: ['resume'],
        message: 'needs a `store` to resume from',
        input: options.resume,
      });
    }
  });

/**
 * Sent to a task that was in flight when its host died, in its resumed session.
 */
export const DEFAULT_CONTINUATION_PROMPT =
  'Your previous turn was interrupted before you finished (the program running this task ' +
  'stopped). Continue the task where you left off, and end with your complete final answer ' +
  'to the original request.';

/** Options of `runTaskQueue`, as callers write them. */
export type TaskQueueOptions = z.input<typeof TaskQueueOptionsSchema>;

/** Options of `runTaskQueue` with defaults applied. */
export type ResolvedTaskQueueOptions = z.output<typeof TaskQueueOptionsSchema>;

/**
 * Validates the options of `runTaskQueue`.
 * @throws {@link InvalidOptionsError} naming the option and the value.
 * @internal
 */
export function parseTaskQueueOptions(input: unknown): ResolvedTaskQueueOptions {
  const value = input ?? {};
  return validate(TaskQueueOptionsSchema, value, { what: 'task queue option' });
}
