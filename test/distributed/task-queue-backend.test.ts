import { ReplaySubject } from 'rxjs';
import { describe, expect, it, vi } from 'vitest';
import type { QueryResult } from '../../src/machines/query/query-types.js';
import { runTaskQueue } from '../../src/orchestration/task-queue/run-task-queue.js';
import type {
  BackendTaskRun,
  TaskQueueBackend,
} from '../../src/orchestration/task-queue/task-queue-backend.js';
import type { TaskQueueRuntime } from '../../src/orchestration/task-queue/task-scheduler.js';
import type { CliMessage } from '../../src/protocol/cli-message.js';
import { createMemoryStore } from '../../src/store/create-memory-store.js';
import { killableStore } from '../orchestration/task-queue/journal-stores.js';

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

/** A backend answering from a script: the first run of `flaky` fails; `hang` never ends. */
function scriptedBackend(hang: (run: BackendTaskRun) => boolean = () => false) {
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
        result: hang(run)
          ? new Promise<QueryResult>(() => {})
          : Promise.resolve(result(run, failing ? 'failed' : 'succeeded', `out of ${run.taskId}`)),
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

  it('a resumed run rejoins the job that was in flight (same attempt, so the same job id), not a new one', async () => {
    const store = createMemoryStore();
    const plan = { tasks: [{ id: 'a', prompt: 'First' }] };
    const first = scriptedBackend(() => true);
    const host = killableStore(store);
    const run = runTaskQueue(noRuntime, plan, {
      backend: first.backend,
      runId: 'r2',
      store: host.store,
    });
    await run.started;
    // The host dies with `a` in flight on a worker, its session journalled.
    await vi.waitFor(async () =>
      expect((await store.runs.tasks('r2'))[0]).toMatchObject({
        status: 'running',
        sessionId: 'session-a-1',
      }),
    );
    host.kill();

    const second = scriptedBackend();
    const summary = await runTaskQueue(noRuntime, plan, {
      backend: second.backend,
      runId: 'r2',
      store,
      resume: true,
    }).result;
    expect(summary.counts).toMatchObject({ total: 1, succeeded: 1 });
    // Attempt 1 again: the backend finds job r2.a.1 (ended meanwhile, or still running).
    expect(second.runs.map(({ run }) => [run.taskId, run.attempt, run.resumeSession])).toEqual([
      ['a', 1, 'session-a-1'],
    ]);
    expect((await store.runs.tasks('r2'))[0]?.attempts).toBe(1);
    await store.close();
  });

  it('refuses a backend without query(), naming the option', () => {
    expect(() =>
      runTaskQueue(noRuntime, { tasks: [{ id: 'a', prompt: 'x' }] }, { backend: {} as never }),
    ).toThrow(/`backend`: expected a task queue backend/);
  });
});
