import type { InspectionEvent, Observer } from 'xstate';
import { z } from 'zod';
import type { TaskQueueClock } from '../../core/clock.js';
import type { Logger } from '../../core/logging/create-logger.js';
import { validate } from '../../core/validation/validate.js';
import { PluginsSchema } from '../../telemetry/plugins/plugins-schema.js';
import { TelemetryOptionsSchema } from '../../telemetry/telemetry-options.js';
import type { TaskWorkerLogic } from './task-worker-machine.js';

const positiveInt = z.number().int().positive();
const nonNegativeInt = z.number().int().nonnegative();
const objectOf = <T>(error: string) =>
  z.custom<T>((v) => typeof v === 'object' && v !== null, { error });

/** Options of `runTaskQueue`. */
export const TaskQueueOptionsSchema = z.strictObject({
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
  /** Replaces the worker logic (tests inject crashing workers). @internal */
  worker: objectOf<TaskWorkerLogic>('expected actor logic').optional(),
});

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
