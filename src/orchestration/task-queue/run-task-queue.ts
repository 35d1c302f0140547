import { randomBytes } from 'node:crypto';
import { type Observable, ReplaySubject } from 'rxjs';
import { createActor } from 'xstate';
import { systemClock } from '../../core/clock.js';
import { scrubbingLogger } from '../../core/logging/scrubbing-logger.js';
import { redactingObserver } from '../../core/redaction/redact-inspection-event.js';
import { createSupervisor } from '../../supervisors/create-supervisor.js';
import { supervisorClient } from '../../supervisors/supervisor-client.js';
import type { ChildSpec, SupervisorEvent } from '../../supervisors/types.js';
import type { PluginErrorEvent } from '../../telemetry/plugins/runtime-plugin.js';
import { parsePlan } from '../plan/parse-plan.js';
import type { Plan, PlanInput } from '../plan/plan-schema.js';
import type { RunSummary } from '../report/run-summary.js';
import { summarize } from '../report/summarize.js';
import { writeRunReport } from '../report/write-run-report.js';
import { cleanupWorktrees } from '../worktree/cleanup-worktrees.js';
import {
  createWorktreeManager,
  type WorktreeManager,
} from '../worktree/create-worktree-manager.js';
import { WorkerCrashedError } from './errors/worker-crashed-error.js';
import type { TaskProgressEvent } from './task-progress-event.js';
import { parseTaskQueueOptions, type TaskQueueOptions } from './task-queue-options.js';
import { taskQueueTelemetry } from './task-queue-telemetry.js';
import { type TaskQueueRuntime, TaskScheduler } from './task-scheduler.js';
import { taskWorkerMachine } from './task-worker-machine.js';

/** A running task plan. */
export interface TaskQueueRun {
  /** The run's id (branch names, query ids, the `run:<id>` tag). */
  readonly runId: string;
  /**
   * The summary, once every task has ended (succeeded, failed, skipped or cancelled); task
   * failures are in the summary, not thrown. Rejects only when the report cannot be written.
   */
  readonly result: Promise<RunSummary>;
  /** Progress, one event per change; replays to late subscribers; completes with the run. */
  readonly progress$: Observable<TaskProgressEvent>;
  /**
   * The `onTaskStart`/`onTaskEnd` hooks of the `plugins` option that threw or rejected (each is
   * also logged); replays to late subscribers; completes with the run.
   */
  readonly pluginErrors$: Observable<PluginErrorEvent>;
  /** Cancels the run (as aborting the `signal` option does). */
  cancel(reason?: unknown): void;
}

function defaultRunId(plan: Plan, now: number): string {
  const name = (plan.name ?? 'run')
    .toLowerCase()
    .replace(/[^a-z0-9_-]+/g, '-')
    .replace(/^[-_]+|-+$/g, '')
    .slice(0, 32);
  return `${name || 'run'}-${now.toString(36)}-${randomBytes(3).toString('hex')}`;
}

/**
 * Runs a task plan with M worker actors under a supervisor. Workers pull ready tasks (every
 * dependency succeeded), highest `priority` first, then plan order, so the load balances
 * itself. Each task runs as a `runtime.query` (retried and timed out by the runtime, with the
 * task's `timeoutMs` as `timeouts.totalMs`), and again up to its `retry.attempts` runs when it
 * fails; its prompt gets its dependencies' outputs (see {@link buildTaskPrompt}). A task that
 * does not succeed has its dependents (transitively) skipped; the others still run. A worker
 * that crashes is restarted by the supervisor, and the task it held is queued again.
 *
 * Tasks with `worktree: true` run in a git worktree of their own (branch
 * `claude-actors/<run>/<task-id>` from `HEAD` of the repository at `cwd`), removed after the
 * run unless `keepWorktrees`; leftovers of crashed runs are cleaned up first.
 *
 * @param runtime - Runs every query; the queue never spawns processes itself.
 * @param plan - A plan object or a {@link Plan} from `loadPlan`; validated here.
 * @throws {@link InvalidPlanError} / {@link PlanGraphError} for an invalid plan, and
 *   {@link InvalidOptionsError} for invalid options, before anything starts.
 * @example
 * ```ts
 * const run = runTaskQueue(runtime, await loadPlan('plan.yaml'), { workers: 3, outputDir: 'out' });
 * run.progress$.subscribe((event) => log(event.type, event));
 * const summary = await run.result; // summary.counts, summary.speedUp, summary.tasks
 * ```
 */
export function runTaskQueue(
  runtime: TaskQueueRuntime,
  plan: Plan | PlanInput,
  options: TaskQueueOptions = {},
): TaskQueueRun {
  const resolved = parseTaskQueueOptions(options);
  const validPlan = parsePlan(plan);
  const clock = resolved.clock ?? systemClock;
  const startedAt = clock.now();
  const runId = resolved.runId ?? defaultRunId(validPlan, startedAt);
  const workerCount = resolved.workers ?? validPlan.workers ?? Math.min(validPlan.tasks.length, 4);
  const workerIds = Array.from({ length: workerCount }, (_, i) => `worker-${i + 1}`);
  const log =
    resolved.logger && scrubbingLogger(resolved.logger).child({ component: 'task-queue', runId });
  const progress = new ReplaySubject<TaskProgressEvent>();
  const repo = resolved.cwd ?? validPlan.defaults?.cwd ?? process.cwd();

  let manager: Promise<WorktreeManager> | undefined;
  const worktrees = (): Promise<WorktreeManager> => {
    manager ??= cleanupWorktrees(repo)
      .then((cleaned) => {
        if (cleaned.runs.length > 0) log?.info(cleaned, 'removed worktrees of crashed runs');
      })
      .catch((error: unknown) => log?.warn({ error }, 'cleaning up old worktrees failed'))
      .then(() =>
        createWorktreeManager({ repo, runId, root: resolved.worktreeRoot, now: clock.now }),
      );
    return manager;
  };

  const telemetry = taskQueueTelemetry({
    runId,
    name: validPlan.name,
    tracerProvider: resolved.tracerProvider,
    plugins: resolved.plugins,
    logger: log,
  });
  telemetry.follow(progress);
  const scheduler = new TaskScheduler({
    runtime: telemetry.traced(runtime),
    plan: validPlan,
    runId,
    clock,
    startedAt,
    emit: (event) => progress.next(event),
    worktrees,
    maxWorkerCrashes: resolved.maxWorkerCrashes,
  });
  const workerLogic = resolved.worker ?? taskWorkerMachine;
  const specs: ChildSpec[] = workerIds.map((workerId) => ({
    id: workerId,
    // Transient: a worker that finds nothing left ends normally and stays down.
    restart: 'transient',
    shutdown: 'brutal_kill',
    start: () => ({ logic: workerLogic, input: { workerId, queue: scheduler } }),
  }));
  const supervisor = createActor(
    createSupervisor(
      {
        strategy: 'one_for_one',
        intensity: resolved.supervisor.intensity,
        period: resolved.supervisor.period,
      },
      specs,
    ),
    { id: `task-queue:${runId}`, inspect: redactingObserver(resolved.inspect) },
  );
  supervisor.on('child.exited', (event: SupervisorEvent) => {
    if (event.type !== 'child.exited' || typeof event.reason !== 'object') return;
    log?.warn({ worker: event.id, restart: event.restart }, 'worker crashed');
    scheduler.workerCrashed(event.id, event.reason.abnormal, event.restart);
  });
  supervisor.on('supervisor.shutdown', (event: SupervisorEvent) => {
    if (event.type !== 'supervisor.shutdown' || event.cause !== 'intensity') return;
    scheduler.abort(
      new WorkerCrashedError(
        `The worker supervisor of run ${runId} gave up after more than ` +
          `${resolved.supervisor.intensity} worker crashes in ${resolved.supervisor.period} s; ` +
          'the tasks left were not run. Raise `supervisor.intensity` or fix the crash.',
      ),
    );
  });

  const cancel = (reason: unknown = 'the run was cancelled'): void => scheduler.cancel(reason);
  const signal = resolved.signal;
  const onAbort = (): void => cancel(signal?.reason);
  signal?.addEventListener('abort', onAbort, { once: true });

  const result = (async (): Promise<RunSummary> => {
    try {
      scheduler.start();
      if (signal?.aborted) onAbort();
      supervisor.start();
      await scheduler.finished;
      await supervisorClient(supervisor).stop();
      if (manager) {
        const disposed = await manager
          .then((m) => m.dispose({ keep: resolved.keepWorktrees }))
          .catch((error: unknown) => ({ errors: [error] }));
        for (const error of disposed.errors) log?.warn({ error }, 'removing a worktree failed');
      }
      const summary = summarize({
        runId,
        name: validPlan.name,
        startedAt,
        finishedAt: clock.now(),
        workers: workerIds,
        tasks: scheduler.rows(),
        cancelled: scheduler.cancelled,
        workerCrashes: scheduler.crashes,
      });
      telemetry.end(summary);
      if (resolved.outputDir) await writeRunReport(summary, resolved.outputDir);
      return summary;
    } catch (error) {
      telemetry.end(undefined, error);
      throw error;
    } finally {
      signal?.removeEventListener('abort', onAbort);
      progress.complete();
    }
  })();

  return {
    runId,
    result,
    progress$: progress.asObservable(),
    pluginErrors$: telemetry.pluginErrors$,
    cancel,
  };
}
