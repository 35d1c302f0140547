import type { TaskQueueClock } from '../../core/clock.js';
import { parsePrompt } from '../../machines/query/options/parse-prompt.js';
import type { QueryResult, QueryUsage } from '../../machines/query/query-types.js';
import type { Runtime } from '../../runtime/create-runtime.js';
import type {
  JournalTaskStatus,
  TaskJournalEvent,
  TaskRecord,
  TaskSnapshot,
} from '../../store/runs/task-record.js';
import type { Plan, PlanTask } from '../plan/plan-schema.js';
import type { LiveTaskRow } from '../report/live-run-report.js';
import type { TaskRow, TaskStatus } from '../report/run-summary.js';
import type { TaskWorktree, WorktreeManager } from '../worktree/create-worktree-manager.js';
import { buildTaskPrompt } from './build-task-prompt.js';
import { WorkerCrashedError } from './errors/worker-crashed-error.js';
import type { TaskProgressEvent } from './task-progress-event.js';
import { taskQueryOptions } from './task-query-options.js';
import type { BackendQueryHandle, TaskQueueBackend } from './task-queue-backend.js';

/** What the task queue needs of a runtime: it never spawns processes itself. */
export type TaskQueueRuntime = Pick<Runtime, 'query'>;

/** A task handed to a worker. `lease` tells a current assignment from a stale one. */
export interface TaskAssignment {
  readonly taskId: string;
  readonly workerId: string;
  readonly lease: number;
}

/** What a worker actor calls: the queue's side of the worker loop. */
export interface TaskWorkerQueue {
  /**
   * The next ready task for `workerId` (highest priority, then plan order), waiting until one
   * is ready; `undefined` when there is nothing left to do. Aborting `signal` (the worker was
   * stopped) withdraws the request.
   */
  take(workerId: string, signal?: AbortSignal): Promise<TaskAssignment | undefined>;
  /** Runs an assigned task to its end (every run of it) and records the outcome. */
  execute(assignment: TaskAssignment): Promise<void>;
}

type State = 'waiting' | 'ready' | 'running' | TaskStatus;

interface TaskState {
  readonly task: PlanTask;
  readonly index: number;
  readonly dependents: string[];
  readonly waitingOn: Set<string>;
  status: State;
  /** Runs started (crashed ones included). */
  attempts: number;
  /** Runs that ended failed (what `retry.attempts` bounds). */
  failures: number;
  crashes: number;
  queryAttempts: number;
  costUsd: number;
  lease: number;
  workerId: string | undefined;
  startedAt: number | undefined;
  finishedAt: number | undefined;
  output: string | undefined;
  error: Error | undefined;
  skippedBecause: string | undefined;
  handle: BackendQueryHandle | undefined;
  worktree: TaskWorktree | undefined;
  queryId: string | undefined;
  sessionId: string | undefined;
  usage: QueryUsage | undefined;
  /** A session to continue (`--resume`) on the next run: the task was in flight at a crash. */
  continueSession: string | undefined;
  /**
   * With a backend, the task was in flight at a crash: its next run is this attempt again, so
   * the backend finds the job the dead host dispatched (its result if it ended meanwhile, or
   * the run still going) instead of starting another.
   */
  rejoin: boolean;
  /** Restored from the journal as it ended (kept by a resume). */
  restored: boolean;
}

/** A task as a resumed run finds it in the journal. @internal */
export interface RestoredTask {
  readonly record: TaskRecord;
  /** Continue the recorded session on its first run (it was in flight when the host died). */
  readonly continueSession: boolean;
}

/** Settings of a {@link TaskScheduler}. @internal */
export interface TaskSchedulerOptions {
  readonly runtime: TaskQueueRuntime;
  /** Runs the queries instead of `runtime` when given (workers elsewhere). */
  readonly backend?: TaskQueueBackend | undefined;
  readonly plan: Plan;
  readonly runId: string;
  readonly clock: TaskQueueClock;
  readonly startedAt: number;
  readonly emit: (event: TaskProgressEvent) => void;
  /** The run's worktree manager, created when the first worktree task starts. */
  readonly worktrees: () => Promise<WorktreeManager>;
  /** Crashes of workers holding the same task before the task fails. */
  readonly maxWorkerCrashes: number;
  /** Commits a transition to the run journal (in order); absent without a store. */
  readonly journal?: (
    taskId: string,
    event: TaskJournalEvent,
    snapshot: TaskSnapshot,
  ) => Promise<void>;
  /** Tasks of a resumed run, as journalled. */
  readonly restored?: ReadonlyMap<string, RestoredTask>;
  /** Sent to a task whose session is continued. */
  readonly continuationPrompt?: string;
  /** Called when a task ends (the live report). */
  readonly onTaskEnded?: (taskId: string) => void;
}

/**
 * The state of a run: which tasks wait, are ready, run or ended; hands ready tasks to workers,
 * runs them through the runtime, and skips the dependents of failures. The workers are actors
 * that loop over {@link TaskScheduler.take} and {@link TaskScheduler.execute}.
 *
 * @internal
 */
export class TaskScheduler implements TaskWorkerQueue {
  private readonly tasks = new Map<string, TaskState>();
  private readonly ready: TaskState[] = [];
  private readonly waiters: {
    workerId: string;
    resolve: (assignment: TaskAssignment | undefined) => void;
  }[] = [];
  private readonly assigned = new Map<string, TaskAssignment>();
  private remaining: number;
  private stopped: { readonly reason: unknown; readonly cancelled: boolean } | undefined;
  private resolveFinished!: () => void;
  private querySeq = 0;
  /** Worker crashes in the run. */
  crashes = 0;
  /** Settles when every task has ended. */
  readonly finished = new Promise<void>((resolve) => {
    this.resolveFinished = resolve;
  });

  constructor(private readonly options: TaskSchedulerOptions) {
    const { tasks } = options.plan;
    tasks.forEach((task, index) => {
      this.tasks.set(task.id, {
        task,
        index,
        dependents: [],
        waitingOn: new Set(task.dependsOn),
        status: 'waiting',
        attempts: 0,
        failures: 0,
        crashes: 0,
        queryAttempts: 0,
        costUsd: 0,
        lease: 0,
        workerId: undefined,
        startedAt: undefined,
        finishedAt: undefined,
        output: undefined,
        error: undefined,
        skippedBecause: undefined,
        handle: undefined,
        worktree: undefined,
        queryId: undefined,
        sessionId: undefined,
        usage: undefined,
        continueSession: undefined,
        rejoin: false,
        restored: false,
      });
    });
    for (const task of tasks) {
      for (const dependency of task.dependsOn) this.tasks.get(dependency)!.dependents.push(task.id);
    }
    this.remaining = tasks.length;
    for (const [id, restored] of options.restored ?? []) {
      const state = this.tasks.get(id);
      if (state) this.restore(state, restored);
    }
  }

  /** Takes a task's counters (and its outcome, when it ended) from the journal. */
  private restore(state: TaskState, { record, continueSession }: RestoredTask): void {
    state.attempts = record.attempts;
    state.failures = record.failures;
    state.queryAttempts = record.queryAttempts;
    state.costUsd = record.costUsd;
    state.usage = record.usage;
    state.queryId = record.queryId;
    state.sessionId = record.sessionId;
    state.workerId = record.worker;
    state.startedAt = record.startedAt;
    if (continueSession && record.sessionId !== undefined && !state.task.worktree) {
      state.continueSession = record.sessionId;
    }
    state.rejoin = this.options.backend !== undefined && record.status === 'running';
    const status = record.status;
    if (status !== 'succeeded' && status !== 'failed' && status !== 'cancelled') return;
    state.status = status;
    state.restored = true;
    state.finishedAt = record.finishedAt;
    this.remaining -= 1;
    if (status === 'succeeded') {
      state.output = record.output ?? '';
      for (const id of state.dependents) this.tasks.get(id)!.waitingOn.delete(state.task.id);
    } else {
      state.error = Object.assign(new Error(record.error ?? status), {
        code: record.errorCode,
      });
    }
  }

  /** Whether the run was cancelled. */
  get cancelled(): boolean {
    return this.stopped?.cancelled === true;
  }

  /**
   * Queues the tasks whose dependencies succeeded; a resumed run first reports the tasks it
   * kept from the journal (`task.restored`) and skips the dependents of those that did not
   * succeed.
   */
  start(): void {
    for (const state of this.tasks.values()) {
      if (!state.restored) continue;
      this.emit({
        type: 'task.restored',
        taskId: state.task.id,
        status: state.status as TaskStatus,
        attempts: state.attempts,
        costUsd: state.costUsd,
        output: state.output,
      });
    }
    for (const state of this.tasks.values()) {
      if (state.restored && state.status !== 'succeeded') this.skipDependents(state, state.task.id);
    }
    for (const state of this.tasks.values()) {
      if (state.status === 'waiting' && state.waitingOn.size === 0) this.enqueue(state, false);
    }
    if (this.remaining === 0) this.resolveFinished();
  }

  take(workerId: string, signal?: AbortSignal): Promise<TaskAssignment | undefined> {
    if (this.stopped || this.remaining === 0) return Promise.resolve(undefined);
    const next = this.ready.shift();
    if (next) return Promise.resolve(this.assign(next, workerId));
    return new Promise((resolve) => {
      const waiter = { workerId, resolve };
      this.waiters.push(waiter);
      signal?.addEventListener('abort', () => {
        const at = this.waiters.indexOf(waiter);
        if (at >= 0) this.waiters.splice(at, 1);
        resolve(undefined);
      });
    });
  }

  async execute(assignment: TaskAssignment): Promise<void> {
    const state = this.tasks.get(assignment.taskId)!;
    const current = (): boolean => state.lease === assignment.lease && state.status === 'running';
    const { task } = state;
    const maxRuns = task.retry?.attempts ?? 1;
    try {
      let cwd: string | undefined;
      if (task.worktree) {
        state.worktree = await (await this.options.worktrees()).acquire(task.id);
        cwd = state.worktree.path;
      }
      // Checked as every entry point checks a prompt; a bad one fails the task (see catch).
      const prompt = parsePrompt(
        buildTaskPrompt(
          task.prompt,
          task.dependsOn.map((id) => ({ id, output: this.tasks.get(id)!.output ?? '' })),
        ),
        `tasks[${this.options.plan.tasks.findIndex((t) => t.id === task.id)}].prompt`,
      );
      const options = taskQueryOptions(this.options.plan.defaults, task, cwd);
      // One tag per run, not per task: the runtime's per-tag stats would grow with every task.
      const tags = [...(task.tags ?? []), `run:${this.options.runId}`];
      for (;;) {
        if (!current()) return;
        if (this.stopped) {
          this.end(state, 'cancelled', this.stopped.reason);
          return;
        }
        const resumeSession = state.continueSession;
        // A rejoined run is the attempt that was in flight, not a new one.
        if (!state.rejoin || state.attempts === 0) state.attempts += 1;
        state.rejoin = false;
        state.startedAt ??= this.options.clock.now();
        const queryId = `${this.options.runId}:${task.id}:${++this.querySeq}`;
        state.queryId = queryId;
        state.sessionId = resumeSession;
        this.emit({
          type: 'task.started',
          taskId: task.id,
          workerId: assignment.workerId,
          attempt: state.attempts,
          queryId,
        });
        // Committed before the query starts: a crash from here on finds the run in the journal.
        await this.record(state, 'started');
        if (!current()) return;
        const stopped = this.stoppedBy();
        if (stopped) {
          this.end(state, 'cancelled', stopped.reason);
          return;
        }
        const backend = this.options.backend;
        const handle = backend
          ? backend.query(prompt, options, {
              runId: this.options.runId,
              taskId: task.id,
              attempt: state.attempts,
              queryId,
              tags,
              resumeSession,
              continuationPrompt: this.options.continuationPrompt,
            })
          : resumeSession === undefined
            ? this.options.runtime.query(prompt, options, { queryId, tags })
            : this.options.runtime.query(
                this.options.continuationPrompt ?? prompt,
                { ...options, resume: resumeSession },
                { queryId, tags },
              );
        state.handle = handle;
        const sessions = handle.messages$.subscribe((message) => {
          if (message.type !== 'system' || message.subtype !== 'init') return;
          const sessionId = (message as { session_id?: unknown }).session_id;
          if (typeof sessionId !== 'string' || sessionId === state.sessionId) return;
          if (!current() || state.queryId !== queryId) return;
          state.sessionId = sessionId;
          void this.record(state, 'session').catch(() => undefined);
        });
        const result = await handle.result.finally(() => sessions.unsubscribe());
        if (!current()) return;
        state.handle = undefined;
        state.costUsd += result.costUsd;
        state.queryAttempts += result.attempts;
        state.usage = addUsage(state.usage, result.usage);
        if (result.sessionId !== undefined) state.sessionId = result.sessionId;
        if (resumeSession !== undefined && result.status === 'failed' && !this.stoppedBy()) {
          // The session could not be continued (gone, or another machine): run it afresh,
          // without counting this against `retry.attempts`.
          state.continueSession = undefined;
          await this.retrying(state, assignment.workerId, result.error);
          continue;
        }
        state.continueSession = undefined;
        if (result.status === 'succeeded') {
          state.output = outputOf(result);
          this.end(state, 'succeeded');
          return;
        }
        if (result.status === 'cancelled') {
          // Read again: the run may have been stopped while the query ran.
          this.end(state, 'cancelled', this.stoppedBy()?.reason ?? result.error);
          return;
        }
        state.failures += 1;
        if (state.failures >= maxRuns || this.stoppedBy()) {
          this.end(state, 'failed', result.error ?? new Error(`task \`${task.id}\` failed`));
          return;
        }
        await this.retrying(state, assignment.workerId, result.error);
      }
    } catch (error) {
      // Invalid merged options or prompt (runtime.query throws), or a worktree that cannot be
      // created.
      if (current()) this.end(state, 'failed', error);
    }
  }

  /** A worker actor crashed: its task (if any) is queued again, or fails after too many. */
  workerCrashed(workerId: string, error: unknown, restarting: boolean): void {
    this.crashes += 1;
    const assignment = this.assigned.get(workerId);
    this.assigned.delete(workerId);
    const state = assignment ? this.tasks.get(assignment.taskId) : undefined;
    const holds = state?.status === 'running' && state.lease === assignment?.lease;
    this.emit({
      type: 'worker.crashed',
      workerId,
      taskId: holds ? state?.task.id : undefined,
      error,
      restarting,
    });
    if (!state || !holds) return;
    state.lease += 1;
    state.crashes += 1;
    state.handle?.cancel(`worker ${workerId} crashed`);
    state.handle = undefined;
    if (this.stopped) {
      this.end(state, 'cancelled', this.stopped.reason);
    } else if (state.crashes > this.options.maxWorkerCrashes) {
      this.end(
        state,
        'failed',
        new WorkerCrashedError(
          `Task \`${state.task.id}\` failed: its worker crashed ${state.crashes} times while ` +
            `running it (last: ${workerId}). The crash is in the worker, not in Claude: see the ` +
            'cause.',
          { workerId, taskId: state.task.id, crashes: state.crashes, cause: error },
        ),
      );
    } else {
      state.status = 'waiting';
      this.enqueue(state, true);
    }
  }

  /** Cancels the run: pending tasks end cancelled, running queries are cancelled. */
  cancel(reason: unknown): void {
    this.stop(reason, true);
  }

  /** The workers are gone (the supervisor gave up): every task left fails with `error`. */
  abort(error: Error): void {
    if (this.stopped) return;
    this.stopped = { reason: error, cancelled: false };
    this.ready.length = 0;
    for (const state of this.tasks.values()) {
      if (isTaskStatus(state.status)) continue;
      state.lease += 1;
      state.handle?.cancel(error.message);
      this.end(state, 'failed', error);
    }
    for (const waiter of this.waiters.splice(0)) waiter.resolve(undefined);
  }

  /** The rows of the summary, in plan order. */
  rows(): TaskRow[] {
    return [...this.tasks.values()].map((state) => ({
      id: state.task.id,
      status: isTaskStatus(state.status) ? state.status : 'cancelled',
      attempts: state.attempts,
      queryAttempts: state.queryAttempts,
      durationMs: durationOf(state),
      costUsd: state.costUsd,
      worker: state.workerId,
      error: state.error?.message,
      errorCode: (state.error as { code?: unknown } | undefined)?.code as string | undefined,
      skippedBecause: state.skippedBecause,
      output: state.output,
      outputFile: state.task.outputFile,
      worktree: state.worktree && { path: state.worktree.path, branch: state.worktree.branch },
      startedAt: state.startedAt,
      finishedAt: state.finishedAt,
    }));
  }

  /** The rows with the status of tasks not ended yet (`pending`, `queued`, `running`). */
  liveRows(): LiveTaskRow[] {
    const states = [...this.tasks.values()];
    return this.rows().map((row, index) => {
      const status = states[index]!.status;
      return {
        ...row,
        status:
          status === 'waiting'
            ? 'pending'
            : status === 'ready'
              ? 'queued'
              : status === 'running'
                ? 'running'
                : row.status,
      };
    });
  }

  /** The task runs again: told (`task.retrying`) and journalled before the next attempt. */
  private retrying(state: TaskState, workerId: string, cause: Error | undefined): Promise<void> {
    const error = cause ?? new Error(`task \`${state.task.id}\` failed`);
    this.emit({
      type: 'task.retrying',
      taskId: state.task.id,
      workerId,
      attempt: state.attempts,
      error,
      costUsd: state.costUsd,
    });
    return this.record(state, 'retrying', error);
  }

  /**
   * Journals the task's state after `event`; settles once committed (at once without a
   * journal). Rejects when the journal failed: the run is being aborted then.
   */
  private record(state: TaskState, event: TaskJournalEvent, error?: unknown): Promise<void> {
    const journal = this.options.journal;
    if (!journal) return Promise.resolve();
    const failure = error === undefined ? state.error : toError(error);
    return journal(state.task.id, event, {
      status: journalStatusOf(state, event),
      attempts: state.attempts,
      failures: state.failures,
      queryAttempts: state.queryAttempts,
      queryId: state.queryId,
      sessionId: state.sessionId,
      costUsd: state.costUsd,
      usage: state.usage,
      output: state.output,
      error: failure?.message,
      errorCode: (failure as { code?: unknown } | undefined)?.code as string | undefined,
      worker: state.workerId,
      skippedBecause: state.skippedBecause,
      startedAt: state.startedAt,
      finishedAt: state.finishedAt,
    });
  }

  /** Journals without waiting; a failure aborts the run through the journal's own handler. */
  private note(state: TaskState, event: TaskJournalEvent): void {
    void this.record(state, event).catch(() => undefined);
  }

  private stoppedBy(): { readonly reason: unknown } | undefined {
    return this.stopped;
  }

  private stop(reason: unknown, cancelled: boolean): void {
    if (this.stopped) return;
    this.stopped = { reason, cancelled };
    for (const state of this.tasks.values()) {
      if (state.status === 'waiting' || state.status === 'ready') {
        this.end(state, 'cancelled', reason);
      } else if (state.status === 'running') {
        state.handle?.cancel(reason);
      }
    }
    this.ready.length = 0;
    for (const waiter of this.waiters.splice(0)) waiter.resolve(undefined);
  }

  private enqueue(state: TaskState, requeued: boolean): void {
    state.status = 'ready';
    const at = this.ready.findIndex(
      (other) =>
        other.task.priority < state.task.priority ||
        (other.task.priority === state.task.priority && other.index > state.index),
    );
    this.ready.splice(at < 0 ? this.ready.length : at, 0, state);
    this.note(state, 'queued');
    this.emit({
      type: 'task.queued',
      taskId: state.task.id,
      priority: state.task.priority,
      requeued,
    });
    this.dispatch();
  }

  private dispatch(): void {
    while (this.waiters.length > 0 && this.ready.length > 0) {
      const waiter = this.waiters.shift()!;
      waiter.resolve(this.assign(this.ready.shift()!, waiter.workerId));
    }
  }

  private assign(state: TaskState, workerId: string): TaskAssignment {
    state.status = 'running';
    state.lease += 1;
    state.workerId = workerId;
    const assignment = { taskId: state.task.id, workerId, lease: state.lease };
    this.assigned.set(workerId, assignment);
    return assignment;
  }

  private end(state: TaskState, status: TaskStatus, reason?: unknown): void {
    const wasRunning = state.status === 'running';
    state.status = status;
    state.handle = undefined;
    if (state.workerId && this.assigned.get(state.workerId)?.taskId === state.task.id) {
      this.assigned.delete(state.workerId);
    }
    if (state.startedAt !== undefined) state.finishedAt = this.options.clock.now();
    const fields = {
      taskId: state.task.id,
      attempts: state.attempts,
      durationMs: durationOf(state),
      costUsd: state.costUsd,
    };
    const workerId = wasRunning ? state.workerId : undefined;
    if (status === 'failed') state.error = toError(reason);
    else if (status === 'cancelled') state.error = toError(reason ?? 'cancelled');
    // Journalled before the dependents are queued: their writes come after this one.
    this.note(state, status);
    this.options.onTaskEnded?.(state.task.id);
    if (status === 'succeeded') {
      this.emit({
        type: 'task.succeeded',
        ...fields,
        workerId: state.workerId!,
        output: state.output!,
      });
      for (const id of state.dependents) {
        const dependent = this.tasks.get(id)!;
        dependent.waitingOn.delete(state.task.id);
        if (dependent.status === 'waiting' && dependent.waitingOn.size === 0) {
          this.enqueue(dependent, false);
        }
      }
    } else if (status === 'failed') {
      this.emit({ type: 'task.failed', ...fields, workerId, error: state.error! });
      this.skipDependents(state, state.task.id);
    } else if (status === 'cancelled') {
      this.emit({ type: 'task.cancelled', ...fields, workerId, reason });
      if (!this.stopped) this.skipDependents(state, state.task.id);
    }
    this.remaining -= 1;
    if (this.remaining === 0) {
      for (const waiter of this.waiters.splice(0)) waiter.resolve(undefined);
      this.resolveFinished();
    }
  }

  private skipDependents(state: TaskState, because: string): void {
    for (const id of state.dependents) {
      const dependent = this.tasks.get(id)!;
      if (dependent.status !== 'waiting') continue;
      dependent.status = 'skipped';
      dependent.skippedBecause = because;
      const via = state.task.id;
      dependent.error = new Error(
        via === because
          ? `skipped: dependency \`${because}\` did not succeed`
          : `skipped: dependency \`${via}\` was skipped because \`${because}\` did not succeed`,
      );
      this.note(dependent, 'skipped');
      this.options.onTaskEnded?.(id);
      this.emit({ type: 'task.skipped', taskId: id, because, via });
      this.remaining -= 1;
      this.skipDependents(dependent, because);
    }
    if (this.remaining === 0) {
      for (const waiter of this.waiters.splice(0)) waiter.resolve(undefined);
      this.resolveFinished();
    }
  }

  private emit(
    event: TaskProgressEvent extends infer E
      ? E extends TaskProgressEvent
        ? Omit<E, 'runId' | 'at' | 'elapsedMs'>
        : never
      : never,
  ): void {
    const at = this.options.clock.now();
    this.options.emit({
      ...event,
      runId: this.options.runId,
      at,
      elapsedMs: at - this.options.startedAt,
    } as TaskProgressEvent);
  }
}

function outputOf(result: QueryResult): string {
  if (result.structuredOutput !== undefined)
    return JSON.stringify(result.structuredOutput, null, 2);
  return result.text ?? '';
}

function journalStatusOf(state: TaskState, event: TaskJournalEvent): JournalTaskStatus {
  if (event === 'retrying') return 'retrying';
  switch (state.status) {
    case 'waiting':
      return 'pending';
    case 'ready':
      return 'queued';
    default:
      return state.status;
  }
}

function addUsage(
  total: QueryUsage | undefined,
  usage: QueryUsage | undefined,
): QueryUsage | undefined {
  if (!usage) return total;
  if (!total) return { ...usage };
  return {
    inputTokens: total.inputTokens + usage.inputTokens,
    outputTokens: total.outputTokens + usage.outputTokens,
    cacheReadInputTokens: total.cacheReadInputTokens + usage.cacheReadInputTokens,
    cacheCreationInputTokens: total.cacheCreationInputTokens + usage.cacheCreationInputTokens,
  };
}

function durationOf(state: TaskState): number {
  if (state.startedAt === undefined) return 0;
  return (state.finishedAt ?? state.startedAt) - state.startedAt;
}

function isTaskStatus(state: State): state is TaskStatus {
  return state !== 'waiting' && state !== 'ready' && state !== 'running';
}

function toError(reason: unknown): Error {
  if (reason instanceof Error) return reason;
  return new Error(typeof reason === 'string' ? reason : String(reason));
}
