import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { fromPromise } from 'xstate';
import { PlanGraphError } from '../../../src/orchestration/plan/errors/plan-graph-error.js';
import type { PlanInput } from '../../../src/orchestration/plan/plan-schema.js';
import { runTaskQueue } from '../../../src/orchestration/task-queue/run-task-queue.js';
import type {
  TaskAssignment,
  TaskWorkerQueue,
} from '../../../src/orchestration/task-queue/task-scheduler.js';
import { taskWorkerMachine } from '../../../src/orchestration/task-queue/task-worker-machine.js';
import type { Runtime } from '../../../src/runtime/create-runtime.js';
import { collect, promptOf, scriptedRuntime } from './harness.js';

const runtimes: Runtime[] = [];
function setup(...args: Parameters<typeof scriptedRuntime>) {
  const made = scriptedRuntime(...args);
  runtimes.push(made.runtime);
  return made;
}
afterEach(async () => {
  vi.useRealTimers();
  await Promise.all(runtimes.splice(0).map((runtime) => runtime.stop({ deadlineMs: 100 })));
});

const diamond: PlanInput = {
  name: 'diamond',
  tasks: [
    { id: 'a', prompt: 'task a' },
    { id: 'b', prompt: 'task b', dependsOn: ['a'] },
    { id: 'c', prompt: 'task c', dependsOn: ['a'] },
    { id: 'd', prompt: 'task d', dependsOn: ['b', 'c'] },
  ],
};

describe('runTaskQueue', () => {
  it('runs a diamond in dependency order, b and c in parallel, d with both outputs', async () => {
    const { runtime, fake } = setup((prompt) => ({
      text: `out of ${promptOf(prompt)}`,
      delayMs: prompt.startsWith('task b') || prompt.startsWith('task c') ? 40 : 0,
    }));
    const run = runTaskQueue(runtime, diamond, { workers: 2 });
    const events = collect(run);
    const summary = await run.result;
    expect(summary.status).toBe('succeeded');
    expect(summary.counts).toEqual({ succeeded: 4, failed: 0, skipped: 0, cancelled: 0, total: 4 });
    const call = (id: string) => fake.calls.find((c) => c.prompt.startsWith(`task ${id}`))!;
    expect(fake.calls.map((c) => promptOf(c.prompt)).slice(0, 1)).toEqual(['task a']);
    expect(call('b').startedAt).toBeGreaterThanOrEqual(call('a').endedAt!);
    expect(call('c').startedAt).toBeGreaterThanOrEqual(call('a').endedAt!);
    // b and c overlapped: each started before the other ended.
    expect(call('b').startedAt).toBeLessThan(call('c').endedAt!);
    expect(call('c').startedAt).toBeLessThan(call('b').endedAt!);
    expect(fake.maxConcurrent()).toBe(2);
    expect(call('d').startedAt).toBeGreaterThanOrEqual(
      Math.max(call('b').endedAt!, call('c').endedAt!),
    );
    expect(call('d').prompt).toBe(
      'task d\n\n<context source="b">\nout of task b\n</context>\n' +
        '<context source="c">\nout of task c\n</context>',
    );
    expect(summary.tasks.find((t) => t.id === 'd')!.output).toBe('out of task d');
    const started = (await events).filter((e) => e.type === 'task.started');
    expect(new Set(started.map((e) => e.workerId))).toEqual(new Set(['worker-1', 'worker-2']));
  });

  it('substitutes {{deps.<id>}} placeholders and does not repeat them as context', async () => {
    const { runtime, fake } = setup((prompt) => ({
      text: prompt.startsWith('A') ? 'alpha' : 'ok',
    }));
    const run = runTaskQueue(runtime, {
      tasks: [
        { id: 'a', prompt: 'A' },
        { id: 'b', prompt: 'B' },
        { id: 'c', prompt: 'Use {{deps.a}} and {{ deps.a }}.', dependsOn: ['a', 'b'] },
      ],
    });
    await run.result;
    expect(fake.calls.at(-1)!.prompt).toBe(
      'Use alpha and alpha.\n\n<context source="b">\nfake: B\n</context>'.replace('fake: B', 'ok'),
    );
  });

  it('gives ready tasks to workers by priority, then plan order', async () => {
    const { runtime, fake } = setup();
    const run = runTaskQueue(
      runtime,
      {
        tasks: [
          { id: 'x', prompt: 'x' },
          { id: 'y', prompt: 'y', priority: 5 },
          { id: 'z', prompt: 'z', priority: 1 },
          { id: 'w', prompt: 'w', priority: 5 },
          { id: 'v', prompt: 'v', priority: -1 },
        ],
      },
      { workers: 1 },
    );
    await run.result;
    expect(fake.calls.map((c) => c.prompt)).toEqual(['y', 'w', 'z', 'x', 'v']);
  });

  it('rejects a cycle and an unknown dependency before anything runs', () => {
    const { runtime, fake } = setup();
    const cyclic = {
      tasks: [
        { id: 'a', prompt: 'a', dependsOn: ['c'] },
        { id: 'b', prompt: 'b', dependsOn: ['a'] },
        { id: 'c', prompt: 'c', dependsOn: ['b'] },
      ],
    };
    expect(() => runTaskQueue(runtime, cyclic)).toThrow(PlanGraphError);
    expect(() => runTaskQueue(runtime, cyclic)).toThrow(/cycle: a → c → b → a/);
    expect(() =>
      runTaskQueue(runtime, { tasks: [{ id: 'a', prompt: 'a', dependsOn: ['nope'] }] }),
    ).toThrow(/Task `a` depends on `nope` \(tasks\[0\]\.dependsOn\[0\]\)/);
    expect(fake.calls).toEqual([]);
  });

  it('skips the dependents of a failed task, naming the ancestor; siblings still run', async () => {
    const { runtime, fake } = setup((prompt) => ({ fail: prompt === 'a' }));
    const run = runTaskQueue(runtime, {
      tasks: [
        { id: 'a', prompt: 'a' },
        { id: 'b', prompt: 'b', dependsOn: ['a'] },
        { id: 'c', prompt: 'c', dependsOn: ['b'] },
        { id: 's', prompt: 's' },
        { id: 't', prompt: 't', dependsOn: ['s'] },
      ],
    });
    const events = collect(run);
    const summary = await run.result;
    const row = (id: string) => summary.tasks.find((t) => t.id === id)!;
    expect(row('a')).toMatchObject({ status: 'failed', errorCode: 'QUERY_FAILED', attempts: 1 });
    expect(row('b')).toMatchObject({ status: 'skipped', skippedBecause: 'a', attempts: 0 });
    expect(row('c')).toMatchObject({ status: 'skipped', skippedBecause: 'a' });
    expect(row('c').error).toBe('skipped: dependency `b` was skipped because `a` did not succeed');
    expect(row('s').status).toBe('succeeded');
    expect(row('t').status).toBe('succeeded');
    expect(summary.status).toBe('failed');
    expect(fake.calls.map((c) => promptOf(c.prompt)).sort()).toEqual(['a', 's', 't']);
    expect((await events).filter((e) => e.type === 'task.skipped')).toEqual([
      expect.objectContaining({ taskId: 'b', because: 'a', via: 'a' }),
      expect.objectContaining({ taskId: 'c', because: 'a', via: 'b' }),
    ]);
  });

  it('runs a failed task again up to retry.attempts', async () => {
    const { runtime, fake } = setup((_prompt, n) => ({ fail: n < 3, costUsd: 0.01 }));
    const run = runTaskQueue(runtime, {
      tasks: [{ id: 'flaky', prompt: 'flaky', retry: { attempts: 3 } }],
    });
    const events = collect(run);
    const summary = await run.result;
    expect(summary.tasks[0]).toMatchObject({ status: 'succeeded', attempts: 3, queryAttempts: 3 });
    expect(summary.tasks[0]!.costUsd).toBeCloseTo(0.03);
    expect(fake.calls).toHaveLength(3);
    const retrying = (await events).filter((e) => e.type === 'task.retrying');
    expect(retrying.map((e) => e.type === 'task.retrying' && e.attempt)).toEqual([1, 2]);
  });

  it('fails a task whose runs all fail, after retry.attempts runs', async () => {
    const { runtime } = setup(() => ({ fail: true }));
    const run = runTaskQueue(runtime, {
      tasks: [{ id: 'x', prompt: 'x', retry: { attempts: 2 } }],
    });
    const summary = await run.result;
    expect(summary.tasks[0]).toMatchObject({ status: 'failed', attempts: 2 });
  });

  it('times a task out after timeoutMs (the query total timeout)', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'Date'] });
    const { runtime } = setup((prompt) => (prompt === 'slow' ? { hang: true } : { delayMs: 10 }));
    const run = runTaskQueue(runtime, {
      tasks: [
        { id: 'slow', prompt: 'slow', timeoutMs: 5_000 },
        { id: 'quick', prompt: 'quick', timeoutMs: 5_000 },
      ],
    });
    await vi.advanceTimersByTimeAsync(4_999);
    await vi.advanceTimersByTimeAsync(10);
    await vi.advanceTimersByTimeAsync(3_000);
    const summary = await run.result;
    const slow = summary.tasks.find((t) => t.id === 'slow')!;
    expect(slow).toMatchObject({ status: 'failed', errorCode: 'TOTAL_TIMEOUT' });
    expect(slow.durationMs).toBeGreaterThanOrEqual(5_000);
    expect(summary.tasks.find((t) => t.id === 'quick')!.status).toBe('succeeded');
  });

  it('cancels running tasks and reports pending ones cancelled when the signal aborts', async () => {
    const { runtime, fake } = setup(() => ({ hang: true }));
    const controller = new AbortController();
    const run = runTaskQueue(
      runtime,
      {
        tasks: [
          { id: 'a', prompt: 'a' },
          { id: 'b', prompt: 'b' },
          { id: 'c', prompt: 'c' },
          { id: 'd', prompt: 'd', dependsOn: ['a'] },
        ],
      },
      { workers: 2, signal: controller.signal },
    );
    const events = collect(run);
    await vi.waitFor(() => expect(fake.live()).toBe(2));
    controller.abort('enough');
    const summary = await run.result;
    expect(summary.status).toBe('cancelled');
    expect(summary.counts).toMatchObject({ cancelled: 4, total: 4 });
    expect(summary.tasks.map((t) => t.attempts)).toEqual([1, 1, 0, 0]);
    expect(fake.calls).toHaveLength(2);
    expect(fake.live()).toBe(0);
    const cancelled = (await events).filter((e) => e.type === 'task.cancelled');
    expect(cancelled).toHaveLength(4);
    expect(cancelled[0]).toMatchObject({ reason: 'enough' });
  });

  it('runs nothing when the signal was aborted before the run started', async () => {
    const { runtime, fake } = setup(() => ({ hang: true }));
    const run = runTaskQueue(
      runtime,
      {
        tasks: [
          { id: 'a', prompt: 'a' },
          { id: 'b', prompt: 'b', dependsOn: ['a'] },
        ],
      },
      { signal: AbortSignal.abort('too late') },
    );
    const summary = await run.result;
    expect(summary.status).toBe('cancelled');
    expect(summary.counts).toMatchObject({ cancelled: 2, total: 2 });
    expect(fake.calls).toHaveLength(0);
  });

  it('restarts a crashed worker and still completes the task it held', async () => {
    const { runtime, fake } = setup((prompt) => ({ delayMs: prompt === 'b' ? 30 : 0 }));
    let crashed = false;
    const crashingWorker = taskWorkerMachine.provide({
      actors: {
        runTask: fromPromise<
          void,
          { readonly queue: TaskWorkerQueue; readonly assignment: TaskAssignment }
        >(async ({ input }) => {
          const running = input.queue.execute(input.assignment);
          if (input.assignment.taskId === 'b' && !crashed) {
            crashed = true;
            // Crash once the task's query has reached the CLI, not before.
            while (!fake.calls.some((c) => c.prompt === 'b')) {
              await new Promise((resolve) => setImmediate(resolve));
            }
            throw new Error('worker bug');
          }
          return running;
        }),
      },
    });
    const run = runTaskQueue(
      runtime,
      {
        tasks: [
          { id: 'a', prompt: 'a' },
          { id: 'b', prompt: 'b' },
          { id: 'c', prompt: 'c', dependsOn: ['b'] },
        ],
      },
      { workers: 2, worker: crashingWorker },
    );
    const events = collect(run);
    const summary = await run.result;
    expect(summary.status).toBe('succeeded');
    expect(summary.workerCrashes).toBe(1);
    expect(summary.tasks.find((t) => t.id === 'b')).toMatchObject({
      status: 'succeeded',
      attempts: 2,
    });
    // The crashed run's query was cancelled; the task ran again.
    expect(fake.calls.filter((c) => c.prompt === 'b')).toHaveLength(2);
    const all = await events;
    expect(all.find((e) => e.type === 'worker.crashed')).toMatchObject({
      taskId: 'b',
      restarting: true,
    });
    expect(all.filter((e) => e.type === 'task.queued' && e.taskId === 'b')).toEqual([
      expect.objectContaining({ requeued: false }),
      expect.objectContaining({ requeued: true }),
    ]);
  });

  it('fails a task whose workers keep crashing, after maxWorkerCrashes', async () => {
    const { runtime } = setup();
    const alwaysCrashing = taskWorkerMachine.provide({
      actors: {
        runTask: fromPromise<void, { queue: TaskWorkerQueue; assignment: TaskAssignment }>(
          async () => {
            throw new Error('always');
          },
        ),
      },
    });
    const run = runTaskQueue(
      runtime,
      { tasks: [{ id: 'a', prompt: 'a' }] },
      { workers: 1, worker: alwaysCrashing, maxWorkerCrashes: 1 },
    );
    const summary = await run.result;
    expect(summary.tasks[0]).toMatchObject({ status: 'failed', errorCode: 'WORKER_CRASHED' });
    expect(summary.workerCrashes).toBe(2);
  });

  it('reports progress with elapsed time and cost', async () => {
    const { runtime } = setup(() => ({ costUsd: 0.25 }));
    let now = 1_000;
    const clock = { now: () => now++ };
    const run = runTaskQueue(runtime, { tasks: [{ id: 'only', prompt: 'hi' }] }, { clock });
    const events = await collect(run);
    expect(events.map((e) => e.type)).toEqual(['task.queued', 'task.started', 'task.succeeded']);
    expect(events[1]).toMatchObject({ workerId: 'worker-1', attempt: 1, runId: run.runId });
    expect(events[2]).toMatchObject({ costUsd: 0.25, attempts: 1, output: 'fake: hi' });
    expect(events[2]!.elapsedMs).toBeGreaterThan(events[1]!.elapsedMs);
    const summary = await run.result;
    expect(summary.totalCostUsd).toBeCloseTo(0.25);
  });

  it('balances tasks over the workers and writes the report when asked', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'task-queue-report-'));
    try {
      const { runtime } = setup(() => ({ delayMs: 20, text: 'done' }));
      const run = runTaskQueue(
        runtime,
        {
          tasks: [
            { id: 't1', prompt: '1' },
            { id: 't2', prompt: '2' },
            { id: 't3', prompt: '3', outputFile: 'custom/three.txt' },
            { id: 't4', prompt: '4' },
          ],
        },
        { workers: 2, outputDir: dir, runId: 'report-run' },
      );
      const summary = await run.result;
      expect(summary.tasksPerWorker).toEqual({ 'worker-1': 2, 'worker-2': 2 });
      expect(summary.speedUp).toBeGreaterThan(1.2);
      const report = JSON.parse(await readFile(join(dir, 'report.json'), 'utf8'));
      expect(report).toMatchObject({ runId: 'report-run', status: 'succeeded' });
      expect(report.tasks[0]).not.toHaveProperty('output');
      expect(report.tasks[2].outputFile).toBe('custom/three.txt');
      expect(await readFile(join(dir, 'tasks', 't1.md'), 'utf8')).toBe('done\n');
      expect(await readFile(join(dir, 'custom', 'three.txt'), 'utf8')).toBe('done\n');
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('fails a task whose options the runtime rejects, without stopping the others', async () => {
    const { runtime } = setup();
    const run = runTaskQueue(runtime, {
      defaults: { model: 'opus' },
      tasks: [
        { id: 'bad', prompt: 'bad', options: { fallbackModel: 'opus' } },
        { id: 'good', prompt: 'good' },
      ],
    });
    const summary = await run.result;
    expect(summary.tasks[0]).toMatchObject({ status: 'failed', errorCode: 'INVALID_OPTIONS' });
    expect(summary.tasks[0]!.error).toMatch(/fallbackModel/);
    expect(summary.tasks[1]!.status).toBe('succeeded');
  });

  it('fails the tasks left when the worker supervisor gives up', async () => {
    const { runtime } = setup();
    const alwaysCrashing = taskWorkerMachine.provide({
      actors: {
        runTask: fromPromise<void, { queue: TaskWorkerQueue; assignment: TaskAssignment }>(
          async () => {
            throw new Error('always');
          },
        ),
      },
    });
    const run = runTaskQueue(
      runtime,
      {
        tasks: [
          { id: 'a', prompt: 'a' },
          { id: 'b', prompt: 'b', dependsOn: ['a'] },
          { id: 'c', prompt: 'c' },
        ],
      },
      { workers: 1, worker: alwaysCrashing, supervisor: { intensity: 0 } },
    );
    const summary = await run.result;
    expect(summary.status).toBe('failed');
    expect(summary.tasks.map((t) => t.status)).toEqual(['failed', 'skipped', 'failed']);
    expect(summary.tasks[2]).toMatchObject({ errorCode: 'WORKER_CRASHED', attempts: 0 });
    expect(summary.tasks[2]!.error).toMatch(/worker supervisor of run .* gave up/);
  });

  it.each([
    [
      { workers: 0 },
      'Invalid task queue option `workers`: expected a positive number, got `0` (number)',
    ],
    [{ runId: 'a/b' }, 'Invalid task queue option `runId`: expected up to 64 letters'],
    [{ signal: 'stop' }, 'Invalid task queue option `signal`: expected an AbortSignal'],
    [{ wokers: 2 }, 'Invalid task queue option `wokers`: unknown key (did you mean `workers`?)'],
  ])('rejects the options %j before anything runs', (options, message) => {
    const { runtime, fake } = setup();
    expect(() => runTaskQueue(runtime, diamond, options as never)).toThrow(message);
    expect(fake.calls).toEqual([]);
  });
});
