import type { TaskStatus } from '../orchestration/report/run-summary.js';
import type { ProcessPoolStats } from '../process/pool/process-pool.js';
import type { BreakerState } from '../resilience/breaker/breaker-state.js';
import type { StatsEntry } from '../resilience/budget/stats.js';
import type { RateLimiterStateView } from '../resilience/limiter/rate-limiter-types.js';
import type { SupervisionNode } from '../runtime/supervision-tree.js';

/** A task of a run as the dashboard shows it: a node of the DAG. */
export interface DashboardTask {
  readonly id: string;
  readonly dependsOn: readonly string[];
  /** Longest path of dependencies below it (0 for a task without any): its DAG column. */
  readonly depth: number;
  /**
   * `waiting` (for dependencies), `queued` (for a worker), `running`, `retrying`, or how it
   * ended (a {@link TaskStatus}).
   */
  readonly status: 'waiting' | 'queued' | 'running' | 'retrying' | TaskStatus;
  /** Runs started so far. */
  readonly attempts: number;
  readonly workerId?: string;
  /** The query of the current (or last) run; its text is under this id. */
  readonly queryId?: string;
  readonly costUsd: number;
  readonly durationMs?: number;
  /** Why it failed, was skipped or cancelled (redacted). */
  readonly note?: string;
}

/** A run of a task plan. */
export interface DashboardRun {
  readonly runId: string;
  readonly name?: string;
  readonly tasks: readonly DashboardTask[];
  readonly done: boolean;
}

/** The live text of one query: its last `maxTextChars` characters (redacted). */
export interface DashboardText {
  readonly queryId: string;
  /** The task it runs for, when a watched run started it. */
  readonly taskId?: string;
  readonly text: string;
  /** Characters dropped from the front so far (the buffer keeps the newest). */
  readonly droppedChars: number;
  readonly done: boolean;
}

/** A recent error (redacted). */
export interface DashboardError {
  /** Numbers errors from 1 in the order they happened (a page skips one it has). */
  readonly seq: number;
  readonly at: number;
  /** What it happened to: `task build`, `worker worker-2`, `supervisor queries`, … */
  readonly source: string;
  readonly message: string;
}

/** The runtime's shared actors, costs and load, read every `pollMs`. */
export interface DashboardSystem {
  readonly stats: StatsEntry;
  readonly limiter?: RateLimiterStateView;
  readonly breaker?: BreakerState;
  /** USD left under the runtime-wide budget, when one is set. */
  readonly budgetRemainingUsd?: number;
  readonly pool?: ProcessPoolStats;
  /** Queries running now. */
  readonly running: number;
}

/** Everything a page shows; sent whole when it connects, then as {@link DashboardUpdate}s. */
export interface DashboardSnapshot {
  readonly at: number;
  readonly tree?: SupervisionNode;
  readonly runs: readonly DashboardRun[];
  readonly texts: readonly DashboardText[];
  readonly errors: readonly DashboardError[];
  /** Errors dropped from the front of `errors` so far. */
  readonly errorsDropped: number;
  readonly system?: DashboardSystem;
  /** Whether `/metrics` serves the runtime's metrics. */
  readonly metrics: boolean;
}

/** One change pushed to the pages; a page applies it to its copy of the snapshot. */
export type DashboardUpdate =
  | { readonly type: 'tree'; readonly tree: SupervisionNode }
  | { readonly type: 'run'; readonly run: DashboardRun }
  | { readonly type: 'runs.dropped'; readonly runIds: readonly string[] }
  | { readonly type: 'text'; readonly text: DashboardText }
  | { readonly type: 'texts.dropped'; readonly queryIds: readonly string[] }
  | { readonly type: 'error'; readonly error: DashboardError; readonly errorsDropped: number }
  | { readonly type: 'system'; readonly system: DashboardSystem };
