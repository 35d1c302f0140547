import { describe, expect, it } from 'vitest';
import type { PlanInput } from '../../../src/orchestration/plan/plan-schema.js';
import { runTaskQueue } from '../../../src/orchestration/task-queue/run-task-queue.js';
import type { TaskQueueRuntime } from '../../../src/orchestration/task-queue/task-scheduler.js';
import { createMemoryStore } from '../../../src/store/create-memory-store.js';
import type { TaskWrite } from '../../../src/store/runs/task-write.js';
import type { Store } from '../../../src/store/store.js';
import { fakeQueryRuntime } from './fake-query-runtime.js';

// Two fan-outs behind a root, then a fan-in: dependents become ready in the turn their
// dependency succeeds, so transitions of several tasks fall in one turn.
const plan: PlanInput = {
  name: 'fan',
  tasks: [
    { id: 'root', prompt: 'root' },
    ...['a', 'b', 'c', 'd'].map((id) => ({ id, prompt: id, dependsOn: ['root'] })),
    { id: 'join', prompt: 'join', dependsOn: ['a', 'b', 'c', 'd'] },
  ],
};

/** A memory store whose journal tells which transitions are committed, batch by batch. */
function watchedStore(): { store: Store; batches: TaskWrite[][]; committed: TaskWrite[] } {
  const store = createMemoryStore();
  const batches: TaskWrite[][] = [];
  const committed: TaskWrite[] = [];
  const runs = {
    ...store.runs,
    recordTasks: async (runId: string, writes: readonly TaskWrite[]) => {
      batches.push([...writes]);
      await store.runs.recordTasks(runId, writes);
      committed.push(...writes);
    },
  };
  return { store: { ...store, runs }, batches, committed };
}

describe('the task queue journal, in batches', () => {
  it('commits a task’s start before its query is sent, the transitions of a turn together', async () => {
    const { store, batches, committed } = watchedStore();
    const fake = fakeQueryRuntime();
    const unjournalled: string[] = [];
    const runtime: TaskQueueRuntime = {
      query: ((prompt: string, options: never, meta: { queryId: string }) => {
        const started = committed.some(
          (w) => w.event === 'started' && w.snapshot.queryId === meta.queryId,
        );
        if (!started) unjournalled.push(meta.queryId);
        return fake.runtime.query(prompt, options, meta);
      }) as TaskQueueRuntime['query'],
    };
    const summary = await runTaskQueue(runtime, plan, { store, runId: 'r1', workers: 4 }).result;
    expect(summary.counts.succeeded).toBe(6);
    expect(fake.queries).toHaveLength(6);
    expect(unjournalled).toEqual([]);
    // Every transition once, in one of fewer batches than transitions.
    const writes = batches.flat();
    expect(writes.filter((w) => w.event === 'started')).toHaveLength(6);
    expect(writes.filter((w) => w.event === 'succeeded')).toHaveLength(6);
    expect(batches.length).toBeLessThan(writes.length);
    expect(Math.max(...batches.map((b) => b.length))).toBeGreaterThan(1);
    // A dependent's start is never committed before its dependency's success.
    const at = (taskId: string, event: string): number =>
      writes.findIndex((w) => w.taskId === taskId && w.event === event);
    for (const id of ['a', 'b', 'c', 'd']) {
      expect(at(id, 'started')).toBeGreaterThan(at('root', 'succeeded'));
      expect(at('join', 'started')).toBeGreaterThan(at(id, 'succeeded'));
    }
    const log = await store.runs.transitions('r1', 'join');
    expect(log.map((t) => t.event)).toEqual([
      'created',
      'queued',
      'started',
      'session',
      'succeeded',
    ]);
  });
});
