import { ReplaySubject } from 'rxjs';
import type { QueryOptions } from '../../../src/machines/query/options/query-options.js';
import type { QueryEvent, QueryResult } from '../../../src/machines/query/query-types.js';
import type { TaskQueueRuntime } from '../../../src/orchestration/task-queue/task-scheduler.js';
import type { CliMessage } from '../../../src/protocol/cli-message.js';
import type { RuntimeQueryHandle } from '../../../src/runtime/runtime-query-types.js';

/** How the fake answers one query. */
export interface FakeAnswer {
  /** @defaultValue `out of <first line of the prompt>` */
  readonly text?: string;
  readonly status?: 'succeeded' | 'failed';
  /** Never answer (until cancelled): a task in flight. */
  readonly hang?: boolean;
  /** @defaultValue `s-<n>` for the n-th query, or the resumed session */
  readonly sessionId?: string;
  /** @defaultValue 0.01 */
  readonly costUsd?: number;
  /** Send no `system/init` (the CLI died before naming its session). */
  readonly noInit?: boolean;
}

/** One query the fake received. */
export interface FakeQuery {
  readonly prompt: string;
  readonly options: QueryOptions;
  readonly queryId: string;
  readonly taskId: string;
  cancelled: boolean;
}

/**
 * A task-queue runtime with no process at all: each query names its session at once (a
 * `system/init` message) and answers as `answer(taskId, n, query)` says (n counts the task's
 * queries from 1). Records every query with its options (`resume` included).
 */
export function fakeQueryRuntime(
  answer: (taskId: string, n: number, query: FakeQuery) => FakeAnswer = () => ({}),
): { runtime: TaskQueueRuntime; queries: FakeQuery[]; of: (taskId: string) => FakeQuery[] } {
  const queries: FakeQuery[] = [];
  let sessions = 0;
  const runtime: TaskQueueRuntime = {
    query: ((prompt: string, options: QueryOptions = {}, meta: { queryId?: string } = {}) => {
      const queryId = meta.queryId ?? `q-${queries.length + 1}`;
      // Query ids are `<run>:<task>:<n>`.
      const taskId = queryId.split(':').at(-2) ?? '';
      const query: FakeQuery = { prompt, options, queryId, taskId, cancelled: false };
      queries.push(query);
      const n = queries.filter((q) => q.taskId === taskId).length;
      const reply = answer(taskId, n, query);
      const sessionId = reply.sessionId ?? options.resume ?? `s-${++sessions}`;
      const messages = new ReplaySubject<CliMessage>();
      if (!reply.noInit) {
        messages.next({ type: 'system', subtype: 'init', session_id: sessionId } as CliMessage);
      }
      let settle!: (result: QueryResult) => void;
      const result = new Promise<QueryResult>((resolve) => {
        settle = resolve;
      });
      const end = (status: QueryResult['status'], text?: string): void => {
        messages.complete();
        settle(resultOf(queryId, status, text, sessionId, reply.costUsd ?? 0.01));
      };
      if (!reply.hang) {
        queueMicrotask(() =>
          end(reply.status ?? 'succeeded', reply.text ?? `out of ${prompt.split('\n')[0]}`),
        );
      }
      const handle: RuntimeQueryHandle = {
        queryId,
        tags: [],
        events$: new ReplaySubject<QueryEvent>(),
        messages$: messages.asObservable(),
        result,
        actor: () => undefined,
        cancel: () => {
          query.cancelled = true;
          end('cancelled');
        },
      };
      return handle;
    }) as TaskQueueRuntime['query'],
  };
  return { runtime, queries, of: (taskId) => queries.filter((q) => q.taskId === taskId) };
}

function resultOf(
  queryId: string,
  status: QueryResult['status'],
  text: string | undefined,
  sessionId: string,
  costUsd: number,
): QueryResult {
  const error =
    status === 'succeeded'
      ? undefined
      : (Object.assign(new Error(`query ${status}`), {
          code: status === 'failed' ? 'QUERY_FAILED' : 'CANCELLED',
          retryable: false,
        }) as unknown as QueryResult['error']);
  return {
    status,
    queryId,
    text: status === 'succeeded' ? text : undefined,
    structuredOutput: undefined,
    sessionId,
    costUsd: status === 'cancelled' ? 0 : costUsd,
    usage: {
      inputTokens: 10,
      outputTokens: 5,
      cacheReadInputTokens: 0,
      cacheCreationInputTokens: 0,
    },
    numTurns: 1,
    durationMs: 1,
    durationApiMs: 1,
    attempts: 1,
    error,
    attemptErrors: error ? [error] : [],
    raw: undefined,
  };
}
