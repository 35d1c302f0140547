import { randomBytes } from 'node:crypto';
import { resolve as resolvePath } from 'node:path';
import { type Observable, ReplaySubject } from 'rxjs';
import { createActor } from 'xstate';
import { systemClock } from '../../core/clock.js';
import type { Logger } from '../../core/logging/create-logger.js';
import { scrubbingLogger } from '../../core/logging/scrubbing-logger.js';
import { redactingObserver } from '../../core/redaction/redact-inspection-event.js';
import { createSupervisor } from '../../supervisors/create-supervisor.js';
import { supervisorClient } from '../../supervisors/supervisor-client.js';
import type { ChildSpec, SupervisorEvent } from '../../supervisors/types.js';
import type { PluginErrorEvent } from '../../telemetry/plugins/runtime-plugin.js';
import { parsePlan } from '../plan/parse-plan.js';
import type { Plan, PlanInput } from '../plan/plan-schema.js';
import { type LiveRunReport, liveRunReport } from '../report/live-run-report.js';
import type { RunSummary } from '../report/run-summary.js';
import { summarize } from '../report/summarize.js';
import { writeRunReport } from '../report/write-run-report.js';
import { cleanupWorktrees } from '../worktree/cleanup-worktrees.js';
import {
  createWorktreeManager,
  type WorktreeManager,
} from '../worktree/create-worktree-manager.js';
import { currentRunOwner } from './current-run-owner.js';
import { RunOwnedError } from './errors/run-owned-error.js';
import { WorkerCrashedError } from './errors/worker-crashed-error.js';
import { openJournalledRun } from './open-journalled-run.js';
import { ownedJournal } from './owned-journal.js';
import { planHashes } from './plan-hash.js';
import { type RunLeaseHeartbeat, runLeaseHeartbeat } from './run-lease-heartbeat.js';
import { taskJournalWriter } from './task-journal-writer.js';
import type { TaskProgressEvent } from './task-progress-event.js';
import {
  DEFAULT_CONTINUATION_PROMPT,
  parseTaskQueueOptions,
  type ResolvedTaskQueueOptions,
  type TaskQueueOptions,
} from './task-queue-options.js';
import { taskQueueTelemetry } from './task-queue-telemetry.js';
import { type TaskQueueRuntime, TaskScheduler } from './task-scheduler.js';
import { taskWorkerMachine } from './task-worker-machine.js';

/** A running task plan. */
export interface TaskQueueRun {
  /**
   * The run's id (branch names, query ids, the `run:<id>` tag). With `resume` and no `runId`
   * option, the id of the run found in the journal once {@link TaskQueueRun.started} settles
   * (before, the id a new run would get).
   */
  readonly runId: string;
  /**
   * Settles when the run has started: journalled (a new run, or the one resumed) and its
   * tasks queued. Rejects as {@link TaskQueueRun.result} does when it cannot start.
   */
  readonly started: Promise<{ readonly runId: string; readonly resumed: boolean }>;
  /**
   * The summary, once every task has ended (succeeded, failed, skipped or cancelled); task
   * failures are in the summary, not thrown. Rejects when the report cannot be written, when
   * a journal write fails (a {@link StoreError}: the run is aborted rather than going on
   * without durability) and when a resume is refused ({@link ResumeRefusedError}).
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
 * With a `store`, every task transition is journalled as it happens (see `RunJournal`), and
 * `resume: true` continues a journalled run after its host died: succeeded tasks are kept
 * with their outputs, a task in flight continues its CLI session, failed and cancelled ones
 * follow `resumePolicy`, and a changed plan is refused or reconciled (`resumeChangedPlan`).
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
 *
 * // Durable: journalled in a SQLite file, resumable after a crash.
 * const store = openSqliteStore('out/store.db');
 * const again = runTaskQueue(runtime, plan, { store, resume: true, outputDir: 'out' });
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
  let runId = resolved.runId ?? defaultRunId(validPlan, startedAt);
  const workerCount = resolved.workers ?? validPlan.workers ?? Math.min(validPlan.tasks.length, 4);
  const workerIds = Array.from({ length: workerCount }, (_, i) => `worker-${i + 1}`);
  const baseLog = resolved.logger && scrubbingLogger(resolved.logger);
  let log = baseLog?.child({ component: 'task-queue', runId });
  const progress = new ReplaySubject<TaskProgressEvent>();
  const repo = resolved.cwd ?? validPlan.defaults?.cwd ?? process.cwd();
  const store = resolved.store;

  // Created before the journal names the run: a resumed run's id goes on its span at the end.
  const telemetry = taskQueueTelemetry({
    runId,
    name: validPlan.name,
    tracerProvider: resolved.tracerProvider,
    plugins: resolved.plugins,
    logger: log,
  });
  telemetry.follow(progress);

  let scheduler: TaskScheduler | undefined;
  let cancelled: { reason: unknown } | undefined;
  const cancel = (reason: unknown = 'the run was cancelled'): void => {
    cancelled ??= { reason };
    scheduler?.cancel(reason);
  };
  const signal = resolved.signal;
  const onAbort = (): void => cancel(signal?.reason);
  signal?.addEventListener('abort', onAbort, { once: true });
  // A signal aborted already never fires `abort`: the run starts cancelled.
  if (signal?.aborted) onAbort();

  let resolveStarted!: (value: { runId: string; resumed: boolean }) => void;
  let rejectStarted!: (error: unknown) => void;
  const started = new Promise<{ runId: string; resumed: boolean }>((resolve, reject) => {
    resolveStarted = resolve;
    rejectStarted = reject;
  });
  // Rejections are also the result's: not unhandled when only the result is awaited.
  started.catch(() => undefined);

  const result = (async (): Promise<RunSummary> => {
    let supervisor: ReturnType<typeof createActor> | undefined;
    let manager: Promise<WorktreeManager> | undefined;
    let heartbeat: RunLeaseHeartbeat | undefined;
    // Set once the run is lost: nothing more goes to the output folder.
    let reportStopped = false;
    let live: LiveRunReport | undefined;
    try {
      const journalled = store
        ? await openJournalledRun({
            journal: store.runs,
            plan: validPlan,
            hashes: planHashes(validPlan),
            runId: resolved.runId,
            newRunId: () => runId,
            resume: resolved.resume,
            policy: resolved.resumePolicy,
            changedPlan: resolved.resumeChangedPlan,
            options: journalledOptions(resolved, workerCount, repo),
            now: startedAt,
            lease: {
              owner: currentRunOwner(),
              now: Date.now,
              expireMs: resolved.lease.expireMs,
              log,
            },
          })
        : undefined;
      if (journalled) {
        runId = journalled.runId;
        log = baseLog?.child({ component: 'task-queue', runId });
        if (journalled.resumed) {
          log?.info(
            { resumes: journalled.run.resumes, changes: journalled.changes },
            'resuming a journalled run',
          );
        }
      }
      heartbeat =
        journalled &&
        store &&
        runLeaseHeartbeat({
          journal: store.runs,
          lease: journalled.lease,
          now: Date.now,
          renewMs: resolved.lease.renewMs,
          expireMs: resolved.lease.expireMs,
          log,
          onLost: (error) => {
            // The output folder may be the new owner's too: its report is not overwritten.
            reportStopped = true;
            scheduler?.abort(error);
          },
        });
      // The run's writes carry its lease's token: the store refuses them once it is not.
      const owned =
        journalled && store && ownedJournal(store.runs, journalled.lease, () => heartbeat?.lost);
      const writer =
        owned &&
        taskJournalWriter(owned, runId, clock.now, (error) => {
          // Refused because the run was lost: the heartbeat aborted it already.
          if (heartbeat?.lost) return;
          if (error instanceof RunOwnedError) {
            // The store refused a write before the next renewal could tell: the same stop.
            log?.error({ runId }, 'the run lease was lost: stopping');
            reportStopped = true;
          } else {
            log?.error({ error }, 'the run journal failed: aborting the run');
          }
          scheduler?.abort(error);
        });

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

      const current = new TaskScheduler({
        runtime: telemetry.traced(runtime),
        backend: resolved.backend,
        plan: validPlan,
        runId,
        clock,
        startedAt,
        emit: (event) => progress.next(event),
        worktrees,
        maxWorkerCrashes: resolved.maxWorkerCrashes,
        journal: writer && ((taskId, event, snapshot) => writer.record(taskId, event, snapshot)),
        restored: journalled?.restored,
        continuationPrompt: resolved.continuationPrompt ?? DEFAULT_CONTINUATION_PROMPT,
        onTaskEnded: (taskId) => {
          if (!reportStopped) live?.taskEnded(taskId);
        },
      });
      scheduler = current;
      const summaryAt = (finishedAt: number): RunSummary =>
        summarize({
          runId,
          name: validPlan.name,
          startedAt,
          finishedAt,
          workers: workerIds,
          tasks: current.rows(),
          cancelled: current.cancelled,
          workerCrashes: current.crashes,
        });
      if (resolved.outputDir) {
        live = liveRunReport({
          outputDir: resolved.outputDir,
          read: () => {
            const { tasks: _tasks, status: _status, ...summary } = summaryAt(clock.now());
            return { summary, tasks: current.liveRows() };
          },
          onError: (error) => log?.warn({ error }, 'the live report could not be written'),
        });
        for (const record of journalled?.restored.values() ?? []) {
          if (record.record.status === 'succeeded') live.taskEnded(record.record.taskId);
        }
      }

      const workerLogic = resolved.worker ?? taskWorkerMachine;
      const specs: ChildSpec[] = workerIds.map((workerId) => ({
        id: workerId,
        // Transient: a worker that finds nothing left ends normally and stays down.
        restart: 'transient',
        shutdown: 'brutal_kill',
        start: () => ({ logic: workerLogic, input: { workerId, queue: current } }),
      }));
      supervisor = createActor(
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
        current.workerCrashed(event.id, event.reason.abnormal, event.restart);
      });
      supervisor.on('supervisor.shutdown', (event: SupervisorEvent) => {
        if (event.type !== 'supervisor.shutdown' || event.cause !== 'intensity') return;
        current.abort(
          new WorkerCrashedError(
            `The worker supervisor of run ${runId} gave up after more than ` +
              `${resolved.supervisor.intensity} worker crashes in ${resolved.supervisor.period} s; ` +
              'the tasks left were not run. Raise `supervisor.intensity` or fix the crash.',
          ),
        );
      });

      current.start();
      if (cancelled) current.cancel(cancelled.reason);
      supervisor.start();
      resolveStarted({ runId, resumed: journalled?.resumed ?? false });
      await current.finished;
      await supervisorClient(supervisor).stop();
      supervisor = undefined;
      await disposeWorktrees(manager, resolved.keepWorktrees, log);
      manager = undefined;
      // The run's time ends here; the writes below are the report's.
      const summary = summaryAt(clock.now());
      await writer?.settled();
      await heartbeat?.settled();
      if (heartbeat?.lost) throw heartbeat.lost;
      if (writer?.failure) throw writer.failure;
      await live?.settled();
      if (resolved.outputDir && !reportStopped) await writeRunReport(summary, resolved.outputDir);
      await owned?.finishRun(runId, summary.status, clock.now());
      await heartbeat?.release();
      telemetry.end(summary);
      return summary;
    } catch (error) {
      telemetry.end(undefined, error);
      rejectStarted(error);
      if (supervisor)
        await supervisorClient(supervisor)
          .stop()
          .catch(() => undefined);
      await disposeWorktrees(manager, resolved.keepWorktrees, log);
      // Nothing is written to the output folder once the result settles.
      await live?.settled();
      await heartbeat?.release();
      throw error;
    } finally {
      signal?.removeEventListener('abort', onAbort);
      progress.complete();
    }
  })();

  return {
    get runId() {
      return runId;
    },
    started,
    result,
    progress$: progress.asObservable(),
    pluginErrors$: telemetry.pluginErrors$,
    cancel,
  };
}

/** The options a resume needs to know the run by: recorded with it (no secrets, no functions). */
function journalledOptions(
  resolved: ResolvedTaskQueueOptions,
  workers: number,
  cwd: string,
): Record<string, unknown> {
  return {
    workers,
    cwd,
    // Absolute: a resume from another directory finds the run's outputs (`run --resume`).
    outputDir: resolved.outputDir === undefined ? undefined : resolvePath(resolved.outputDir),
    keepWorktrees: resolved.keepWorktrees,
    maxWorkerCrashes: resolved.maxWorkerCrashes,
    resumePolicy: resolved.resumePolicy,
  };
}

async function disposeWorktrees(
  manager: Promise<WorktreeManager> | undefined,
  keep: boolean,
  log: Logger | undefined,
): Promise<void> {
  if (!manager) return;
  const disposed = await manager
    .then((m) => m.dispose({ keep }))
    .catch((error: unknown) => ({ errors: [error] }));
  for (const error of disposed.errors) log?.warn({ error }, 'removing a worktree failed');
}
