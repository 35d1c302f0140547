import { ReplaySubject } from 'rxjs';
import { describe, expect, it } from 'vitest';
import type { QueryResult } from '../../src/machines/query/query-types.js';
import { runTaskQueue } from '../../src/orchestration/task-queue/run-task-queue.js';
import type {
  BackendTaskRun,
  TaskQueueBackend,
} from '../../src/orchestration/task-queue/task-queue-backend.js';
import type { TaskQueueRuntime } from '../../src/orchestration/task-queue/task-scheduler.js';
import type { CliMessage } from '../../src/protocol/cli-message.js';
import { createMemoryStore } from '../../src/store/create-memory-store.js';

const noRuntime: TaskQueueRuntime = {
  query: () => {
    throw new Error('the runtime must not be asked when a backend is given');
  },
};

function result(run: BackendTaskRun, status: QueryResult['status'], text?: string): QueryResult {
  return {
    status,
    queryId: run.queryId,
    text,
    structuredOutput: undefined,
    sessionId: `session-${run.taskId}-${run.attempt}`,
    costUsd: 0.01,
    usage: {
      inputTokens: 1,
      outputTokens: 1,
      cacheReadInputTokens: 0,
      cacheCreationInputTokens: 0,
    },
    numTurns: 1,
    durationMs: 1,
    durationApiMs: undefined,
    attempts: 1,
    error:
      status === 'failed'
        ? (Object.assign(new Error('flaky'), { code: 'QUERY_FAILED' }) as never)
        : undefined,
    attemptErrors: [],
    raw: undefined,
  };
}

/** A backend answering from a script: the first run of `flaky` fails. */
function scriptedBackend() {
  const runs: { prompt: unknown; run: BackendTaskRun }[] = [];
  const backend: TaskQueueBackend = {
    query(prompt, _options, run) {
      runs.push({ prompt, run });
      const messages = new ReplaySubject<CliMessage>();
      messages.next({
        type: 'system',
        subtype: 'init',
        session_id: `session-${run.taskId}-${run.attempt}`,
      } as CliMessage);
      messages.complete();
      const failing = run.taskId === 'flaky' && run.attempt === 1;
      return {
        queryId: run.queryId,
        messages$: messages,
        result: Promise.resolve(
          result(run, failing ? 'failed' : 'succeeded', `out of ${run.taskId}`),
        ),
        cancel: () => undefined,
      };
    },
  };
  return { backend, runs };
}

describe('runTaskQueue with a backend', () => {
  it('runs every query through the backend with run, task and attempt, and journals the sessions', async () => {
    const { backend, runs } = scriptedBackend();
    const store = createMemoryStore();
    const summary = await runTaskQueue(
      noRuntime,
      {
        tasks: [
          { id: 'flaky', prompt: 'First', retry: { attempts: 2 } },
          { id: 'after', prompt: 'Then {{deps.flaky}}', dependsOn: ['flaky'] },
        ],
      },
      { backend, runId: 'r1', store },
    ).result;
    expect(summary.counts).toMatchObject({ total: 2, succeeded: 2 });
    expect(runs.map(({ run }) => [run.runId, run.taskId, run.attempt])).toEqual([
      ['r1', 'flaky', 1],
      ['r1', 'flaky', 2],
      ['r1', 'after', 1],
    ]);
    expect(runs[2]!.prompt).toContain('out of flaky');
    expect(runs[0]!.run.tags).toContain('run:r1');
    const journal = await store.runs.tasks('r1');
    expect(journal.find((t) => t.taskId === 'after')?.sessionId).toBe('session-after-1');
    await store.close();
  });

  it('refuses a backend without query(), naming the option', () => {
    expect(() =>
      runTaskQueue(noRuntime, { tasks: [{ id: 'a', prompt: 'x' }] }, { backend: {} as never }),
    ).toThrow(/`backend`: expected a task queue backend/);
  });
});
