import type { TaskQueueClock } from '../core/clock.js';
import { redactValue } from '../core/redaction/redact-inspection-event.js';
import { redactSecrets } from '../core/redaction/redact-secrets.js';
import type { TaskProgressEvent } from '../orchestration/task-queue/task-progress-event.js';
import type { SupervisionNode } from '../runtime/supervision-tree.js';
import type {
  DashboardError,
  DashboardRun,
  DashboardSnapshot,
  DashboardSystem,
  DashboardTask,
  DashboardUpdate,
} from './dashboard-view.js';
import { QueryTexts } from './query-texts.js';
import { taskDepths } from './task-depths.js';

/** Bounds of a {@link DashboardState}. @internal */
export interface DashboardStateLimits {
  readonly maxTextChars: number;
  readonly maxQueries: number;
  readonly maxErrors: number;
  readonly maxRuns: number;
}

interface RunEntry {
  readonly runId: string;
  readonly name: string | undefined;
  readonly tasks: Map<string, DashboardTask>;
  done: boolean;
}

/** Longest error message kept. */
const MAX_MESSAGE_CHARS = 500;

/**
 * What the dashboard shows, with every buffer bounded (the oldest is dropped first and
 * counted) and everything redacted before it leaves: the supervision tree, the runs' tasks, the
 * live text of queries, recent errors and the system actors' state. Changes are marked and
 * handed out by {@link DashboardState.drain}, many changes of one thing as one update.
 *
 * @internal
 */
export class DashboardState {
  #tree: SupervisionNode | undefined;
  #system: DashboardSystem | undefined;
  readonly #runs = new Map<string, RunEntry>();
  readonly #texts: QueryTexts;
  readonly #errors: DashboardError[] = [];
  #errorsDropped = 0;
  #errorSeq = 0;
  #metrics = false;
  // What changed since the last drain.
  #treeDirty = false;
  #systemDirty = false;
  readonly #dirtyRuns = new Set<string>();
  readonly #droppedRuns = new Set<string>();
  readonly #dirtyTexts = new Set<string>();
  readonly #droppedTexts = new Set<string>();
  #newErrors: DashboardError[] = [];
  readonly #listeners = new Set<() => void>();

  constructor(
    private readonly limits: DashboardStateLimits,
    private readonly clock: TaskQueueClock,
  ) {
    this.#texts = new QueryTexts(limits.maxTextChars, limits.maxQueries);
  }

  /** Calls `listener` after each change; returns the unsubscribe. */
  onChange(listener: () => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  /** Whether `/metrics` serves the runtime's metrics (shown as a link on the page). */
  set metrics(served: boolean) {
    this.#metrics = served;
  }

  /** The supervision tree now (redacted: a worker's state value could hold anything). */
  setTree(tree: SupervisionNode): void {
    this.#tree = redactValue(tree) as SupervisionNode;
    this.#treeDirty = true;
    this.#changed();
  }

  /** The system actors, costs and load now (numbers and states only). */
  setSystem(system: DashboardSystem): void {
    this.#system = system;
    this.#systemDirty = true;
    this.#changed();
  }

  /** Starts showing a run: its tasks as a DAG, all `waiting`. Drops the oldest run past `maxRuns`. */
  addRun(
    runId: string,
    tasks: readonly { readonly id: string; readonly dependsOn?: readonly string[] }[],
    name?: string,
  ): void {
    const depths = taskDepths(tasks);
    const entries = new Map<string, DashboardTask>();
    for (const task of tasks) {
      entries.set(task.id, {
        id: task.id,
        dependsOn: [...(task.dependsOn ?? [])],
        depth: depths.get(task.id) ?? 0,
        status: 'waiting',
        attempts: 0,
        costUsd: 0,
      });
    }
    this.#runs.delete(runId);
    this.#droppedRuns.delete(runId);
    const shownName = name === undefined ? undefined : redactSecrets(name);
    this.#runs.set(runId, { runId, name: shownName, tasks: entries, done: false });
    while (this.#runs.size > this.limits.maxRuns) {
      const oldest = this.#runs.keys().next().value as string;
      this.#runs.delete(oldest);
      this.#dirtyRuns.delete(oldest);
      this.#droppedRuns.add(oldest);
    }
    this.#dirtyRuns.add(runId);
    this.#changed();
  }

  /** The run ended (its progress completed). */
  endRun(runId: string): void {
    const run = this.#runs.get(runId);
    if (!run) return;
    run.done = true;
    this.#dirtyRuns.add(runId);
    this.#changed();
  }

  /** Applies one progress event of a run added with {@link DashboardState.addRun}. */
  applyTaskEvent(event: TaskProgressEvent): void {
    const run = this.#runs.get(event.runId);
    if (!run) return;
    if (event.type === 'worker.crashed') {
      this.addError(`worker ${event.workerId}`, event.error);
      return;
    }
    const task = run.tasks.get(event.taskId);
    if (!task) return;
    let next: DashboardTask;
    switch (event.type) {
      case 'task.queued':
        next = { ...task, status: 'queued' };
        break;
      case 'task.started':
        next = {
          ...task,
          status: 'running',
          attempts: event.attempt,
          workerId: event.workerId,
          queryId: event.queryId,
        };
        if (this.#texts.link(event.queryId, event.taskId)) this.#dirtyTexts.add(event.queryId);
        break;
      case 'task.retrying':
        next = { ...task, status: 'retrying', costUsd: event.costUsd };
        this.addError(`task ${event.taskId} (run ${event.attempt})`, event.error);
        break;
      case 'task.succeeded':
        next = this.#ended(task, event, 'succeeded');
        break;
      case 'task.failed':
        next = { ...this.#ended(task, event, 'failed'), note: messageOf(event.error) };
        this.addError(`task ${event.taskId}`, event.error);
        break;
      case 'task.cancelled':
        next = { ...this.#ended(task, event, 'cancelled'), note: messageOf(event.reason) };
        break;
      case 'task.skipped':
        next = {
          ...task,
          status: 'skipped',
          note: `skipped: ${event.because} did not succeed (via ${event.via})`,
        };
        break;
      case 'task.restored':
        // A resumed run kept it as the journal has it: it does not run again.
        next = {
          ...task,
          status: event.status,
          attempts: event.attempts,
          costUsd: event.costUsd,
          note: 'kept from the journal',
        };
        break;
    }
    run.tasks.set(task.id, next);
    this.#dirtyRuns.add(run.runId);
    this.#changed();
  }

  /** Adds text a query wrote (a stream delta or a whole assistant message). */
  appendText(queryId: string, text: string): void {
    if (text.length === 0) return;
    for (const dropped of this.#texts.append(queryId, text)) {
      this.#dirtyTexts.delete(dropped);
      this.#droppedTexts.add(dropped);
    }
    this.#droppedTexts.delete(queryId);
    this.#dirtyTexts.add(queryId);
    this.#changed();
  }

  /** The query ended: its text stays (until `maxQueries` newer ones push it out). */
  endText(queryId: string): void {
    if (!this.#texts.end(queryId)) return;
    this.#dirtyTexts.add(queryId);
    this.#changed();
  }

  /** Records an error (its message redacted, cut to 500 characters); drops the oldest past `maxErrors`. */
  addError(source: string, error: unknown): void {
    this.#errorSeq += 1;
    const entry: DashboardError = {
      seq: this.#errorSeq,
      at: this.clock.now(),
      source: redactSecrets(source),
      message: messageOf(error),
    };
    this.#errors.push(entry);
    if (this.#errors.length > this.limits.maxErrors) {
      this.#errors.shift();
      this.#errorsDropped += 1;
    }
    this.#newErrors.push(entry);
    if (this.#newErrors.length > this.limits.maxErrors) this.#newErrors.shift();
    this.#changed();
  }

  /** Everything now. */
  snapshot(): DashboardSnapshot {
    return {
      at: this.clock.now(),
      ...(this.#tree ? { tree: this.#tree } : {}),
      runs: [...this.#runs.values()].map(runView),
      texts: this.#texts.ids().flatMap((id) => this.#texts.view(id) ?? []),
      errors: [...this.#errors],
      errorsDropped: this.#errorsDropped,
      ...(this.#system ? { system: this.#system } : {}),
      metrics: this.#metrics,
    };
  }

  /** The updates since the last drain: one per changed thing, errors in order. */
  drain(): DashboardUpdate[] {
    const updates: DashboardUpdate[] = [];
    if (this.#treeDirty && this.#tree) updates.push({ type: 'tree', tree: this.#tree });
    if (this.#droppedRuns.size > 0) {
      updates.push({ type: 'runs.dropped', runIds: [...this.#droppedRuns] });
    }
    for (const runId of this.#dirtyRuns) {
      const run = this.#runs.get(runId);
      if (run) updates.push({ type: 'run', run: runView(run) });
    }
    if (this.#droppedTexts.size > 0) {
      updates.push({ type: 'texts.dropped', queryIds: [...this.#droppedTexts] });
    }
    for (const queryId of this.#dirtyTexts) {
      const text = this.#texts.view(queryId);
      if (text) updates.push({ type: 'text', text });
    }
    for (const error of this.#newErrors) {
      updates.push({ type: 'error', error, errorsDropped: this.#errorsDropped });
    }
    if (this.#systemDirty && this.#system) updates.push({ type: 'system', system: this.#system });
    this.#treeDirty = false;
    this.#systemDirty = false;
    this.#dirtyRuns.clear();
    this.#droppedRuns.clear();
    this.#dirtyTexts.clear();
    this.#droppedTexts.clear();
    this.#newErrors = [];
    return updates;
  }

  #ended(
    task: DashboardTask,
    event: { attempts: number; durationMs: number; costUsd: number; workerId?: string },
    status: DashboardTask['status'],
  ): DashboardTask {
    return {
      ...task,
      status,
      attempts: event.attempts,
      durationMs: event.durationMs,
      costUsd: event.costUsd,
      ...(event.workerId === undefined ? {} : { workerId: event.workerId }),
    };
  }

  #changed(): void {
    for (const listener of this.#listeners) listener();
  }
}

function runView(run: RunEntry): DashboardRun {
  return {
    runId: run.runId,
    ...(run.name === undefined ? {} : { name: run.name }),
    tasks: [...run.tasks.values()],
    done: run.done,
  };
}

/** The redacted message of an error (or of any reason), at most 500 characters. */
function messageOf(error: unknown): string {
  const text =
    error instanceof Error
      ? error.message
      : typeof error === 'string'
        ? error
        : (JSON.stringify(redactValue(error)) ?? String(error));
  const redacted = redactSecrets(text);
  return redacted.length > MAX_MESSAGE_CHARS
    ? `${redacted.slice(0, MAX_MESSAGE_CHARS - 1)}…`
    : redacted;
}
