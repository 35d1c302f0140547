import { BehaviorSubject, Subject } from 'rxjs';
import type { DashboardRuntime } from '../../src/dashboard/dashboard-runtime.js';
import type { TaskProgressEvent } from '../../src/orchestration/task-queue/task-progress-event.js';
import type { CliMessage } from '../../src/protocol/cli-message.js';
import { EMPTY_STATS_ENTRY, type StatsEntry } from '../../src/resilience/budget/stats.js';
import type { RateLimiterStateView } from '../../src/resilience/limiter/rate-limiter-types.js';
import type { SupervisionNode } from '../../src/runtime/supervision-tree.js';

/** A runtime's read side with every value set by the test, and a scripted run and query. */
export interface FakeRuntime {
  readonly runtime: DashboardRuntime;
  readonly tree$: BehaviorSubject<SupervisionNode>;
  stats: StatsEntry;
  limiter: RateLimiterStateView;
  running: number;
  /** Emits progress events of run `run-1`. */
  readonly progress$: Subject<TaskProgressEvent>;
  /** Emits CLI messages of query `q-<task>`. */
  messages(queryId: string): Subject<CliMessage>;
  /** The supervision tree with a `queries` supervisor whose child `id` restarted `restarts` times. */
  treeWith(children: readonly { id: string; restarts: number; state?: unknown }[]): SupervisionNode;
}

/** The plan of the scripted run: `a` → `b`, `a` → `c`, `b`+`c` → `d`. */
export const DIAMOND = {
  name: 'diamond',
  tasks: [
    { id: 'a', dependsOn: [] },
    { id: 'b', dependsOn: ['a'] },
    { id: 'c', dependsOn: ['a'] },
    { id: 'd', dependsOn: ['b', 'c'] },
  ],
};

export function createFakeRuntime(): FakeRuntime {
  const treeWith = (
    children: readonly { id: string; restarts: number; state?: unknown }[],
  ): SupervisionNode => ({
    id: 'claude-actors',
    kind: 'supervisor',
    status: 'running',
    actorId: 'claude-actors',
    restarts: 0,
    restartsInPeriod: 0,
    children: [
      {
        id: 'queries',
        kind: 'supervisor',
        status: 'running',
        actorId: 'queries',
        restarts: 0,
        children: children.map((child) => ({
          id: child.id,
          kind: 'worker' as const,
          status: 'running' as const,
          actorId: child.restarts > 0 ? `${child.id}:${child.restarts + 1}` : child.id,
          restarts: child.restarts,
          ...(child.state === undefined ? {} : { state: child.state }),
        })),
      },
    ],
  });
  const tree$ = new BehaviorSubject(treeWith([]));
  const queries = new Map<string, Subject<CliMessage>>();
  const fake: FakeRuntime = {
    tree$,
    stats: EMPTY_STATS_ENTRY,
    limiter: {
      queued: 0,
      inFlight: 0,
      pausedUntil: undefined,
      pauseReason: undefined,
      parkHorizonMs: 6 * 3_600_000,
      concurrencyLimit: 2,
      tokens: {},
    },
    running: 0,
    progress$: new Subject(),
    messages(queryId) {
      let subject = queries.get(queryId);
      if (!subject) {
        subject = new Subject();
        queries.set(queryId, subject);
      }
      return subject;
    },
    treeWith,
    runtime: {
      tree: () => tree$.value,
      tree$: tree$.asObservable(),
      stats: () => ({ total: fake.stats, byModel: {}, byTag: {}, since: 0 }),
      system: () => ({
        limiter: { state: () => fake.limiter } as never,
        breaker: undefined,
        budget: undefined,
      }),
      running: () => Array.from({ length: fake.running }) as never,
    },
  };
  return fake;
}

/** Progress events of run `run-1`, with their common fields filled in. */
export const progress = {
  queued: (taskId: string): TaskProgressEvent => ({
    ...base(taskId),
    type: 'task.queued',
    priority: 0,
    requeued: false,
  }),
  started: (taskId: string, attempt = 1): TaskProgressEvent => ({
    ...base(taskId),
    type: 'task.started',
    workerId: 'worker-1',
    attempt,
    queryId: `q-${taskId}`,
  }),
  retrying: (taskId: string, message: string): TaskProgressEvent => ({
    ...base(taskId),
    type: 'task.retrying',
    workerId: 'worker-1',
    attempt: 1,
    error: new Error(message),
    costUsd: 0.001,
  }),
  succeeded: (taskId: string, costUsd = 0.0123): TaskProgressEvent => ({
    ...base(taskId),
    type: 'task.succeeded',
    workerId: 'worker-1',
    attempts: 1,
    durationMs: 1200,
    costUsd,
    output: 'done',
  }),
  failed: (taskId: string, message: string): TaskProgressEvent => ({
    ...base(taskId),
    type: 'task.failed',
    workerId: 'worker-1',
    attempts: 1,
    durationMs: 900,
    costUsd: 0.002,
    error: new Error(message),
  }),
  skipped: (taskId: string, because: string): TaskProgressEvent => ({
    ...base(taskId),
    type: 'task.skipped',
    because,
    via: because,
  }),
};

function base(taskId: string) {
  return { runId: 'run-1', taskId, at: 0, elapsedMs: 0 };
}

/** A `stream_event` text delta, as the CLI sends with `includePartialMessages`. */
export function delta(text: string): CliMessage {
  return {
    type: 'stream_event',
    event: { type: 'content_block_delta', index: 0, delta: { type: 'text_delta', text } },
    session_id: 's',
    uuid: 'u',
    parent_tool_use_id: null,
  } as unknown as CliMessage;
}

/** A whole assistant message with text and, optionally, a tool call. */
export function assistant(text: string, tool?: string): CliMessage {
  const content: unknown[] = [{ type: 'text', text }];
  if (tool) content.push({ type: 'tool_use', id: 't1', name: tool, input: {} });
  return {
    type: 'assistant',
    message: { id: 'm', type: 'message', role: 'assistant', model: 'x', content },
    session_id: 's',
    uuid: 'u',
    parent_tool_use_id: null,
  } as unknown as CliMessage;
}
