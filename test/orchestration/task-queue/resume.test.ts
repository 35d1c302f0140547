import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { InvalidOptionsError } from '../../../src/core/validation/invalid-options-error.js';
import type { PlanInput } from '../../../src/orchestration/plan/plan-schema.js';
import { ResumeRefusedError } from '../../../src/orchestration/task-queue/errors/resume-refused-error.js';
import { runTaskQueue } from '../../../src/orchestration/task-queue/run-task-queue.js';
import { DEFAULT_CONTINUATION_PROMPT } from '../../../src/orchestration/task-queue/task-queue-options.js';
import { createMemoryStore } from '../../../src/store/create-memory-store.js';
import { StoreError } from '../../../src/store/errors/store-error.js';
import type { Store } from '../../../src/store/store.js';
import { fakeQueryRuntime } from './fake-query-runtime.js';
import { collect } from './harness.js';
import { failingStore, killableStore } from './journal-stores.js';

const dirs: string[] = [];
afterEach(async () => {
  await Promise.all(dirs.splice(0).map((dir) => rm(dir, { recursive: true, force: true })));
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

/** Runs `plan` until `until` holds in the journal, then kills the host there. */
async function crashedRun(
  store: Store,
  plan: PlanInput,
  hang: (taskId: string) => boolean,
  until: (tasks: Awaited<ReturnType<Store['runs']['tasks']>>) => boolean,
  runId: string | undefined = 'r1',
) {
  const first = fakeQueryRuntime((taskId) => ({ hang: hang(taskId) }));
  const host = killableStore(store);
  const run = runTaskQueue(first.runtime, plan, { store: host.store, runId });
  const { runId: id } = await run.started;
  await vi.waitFor(async () => expect(until(await store.runs.tasks(id))).toBe(true));
  host.kill();
  return { first, runId: id };
}

describe('runTaskQueue with a store', () => {
  it('journals every transition of every task, and the run as it ended', async () => {
    const store = createMemoryStore();
    const { runtime } = fakeQueryRuntime();
    const run = runTaskQueue(runtime, diamond, { store, runId: 'r1', workers: 2 });
    const summary = await run.result;
    expect(summary.status).toBe('succeeded');
    expect(await store.runs.getRun('r1')).toMatchObject({
      status: 'succeeded',
      planName: 'diamond',
    });
    const tasks = await store.runs.tasks('r1');
    expect(tasks.map((t) => [t.taskId, t.status, t.attempts])).toEqual([
      ['a', 'succeeded', 1],
      ['b', 'succeeded', 1],
      ['c', 'succeeded', 1],
      ['d', 'succeeded', 1],
    ]);
    expect(tasks[0]).toMatchObject({
      output: 'out of task a',
      costUsd: 0.01,
      queryAttempts: 1,
      queryId: 'r1:a:1',
      usage: { inputTokens: 10, outputTokens: 5 },
    });
    expect(tasks[0]!.sessionId).toMatch(/^s-/);
    expect((await store.runs.transitions('r1', 'a')).map((t) => t.event)).toEqual([
      'created',
      'queued',
      'started',
      'session',
      'succeeded',
    ]);
  });

  it('resumes after the host died: succeeded tasks kept, the one in flight continues its session', async () => {
    const store = createMemoryStore();
    const { first } = await crashedRun(
      store,
      diamond,
      (id) => id === 'c',
      (tasks) =>
        tasks[1]!.status === 'succeeded' && tasks[2]!.status === 'running' && !!tasks[2]!.sessionId,
    );
    const cSession = (await store.runs.tasks('r1'))[2]!.sessionId!;
    expect(first.of('a')).toHaveLength(1);

    const second = fakeQueryRuntime();
    const run = runTaskQueue(second.runtime, diamond, { store, runId: 'r1', resume: true });
    const events = collect(run);
    expect(await run.started).toEqual({ runId: 'r1', resumed: true });
    const summary = await run.result;
    expect(summary.status).toBe('succeeded');
    // a and b are not asked again; c continues its conversation; d gets every output.
    expect(second.queries.map((q) => q.taskId)).toEqual(['c', 'd']);
    expect(second.of('c')[0]!.options.resume).toBe(cSession);
    expect(second.of('c')[0]!.prompt).toBe(DEFAULT_CONTINUATION_PROMPT);
    expect(second.of('d')[0]!.prompt).toBe(
      'task d\n\n<context source="b">\nout of task b\n</context>\n' +
        `<context source="c">\nout of ${DEFAULT_CONTINUATION_PROMPT.split('\n')[0]}\n</context>`,
    );
    const row = (id: string) => summary.tasks.find((t) => t.id === id)!;
    expect(row('a')).toMatchObject({ attempts: 1, costUsd: 0.01, output: 'out of task a' });
    // The hung run counts: c ran twice (its cost and attempts continue from the journal).
    expect(row('c').attempts).toBe(2);
    expect(summary.totalCostUsd).toBeCloseTo(0.04);
    const restored = (await events).filter((e) => e.type === 'task.restored');
    expect(restored.map((e) => e.taskId)).toEqual(['a', 'b']);
    expect(await store.runs.getRun('r1')).toMatchObject({ status: 'succeeded', resumes: 1 });
  });

  it('resumes the latest unfinished run of the same plan when no run id is given', async () => {
    const store = createMemoryStore();
    const { runId } = await crashedRun(
      store,
      diamond,
      (id) => id === 'b',
      (tasks) => tasks[1]!.status === 'running' && tasks[2]!.status === 'succeeded',
      undefined,
    );
    const second = fakeQueryRuntime();
    const run = runTaskQueue(second.runtime, diamond, { store, resume: true });
    expect((await run.started).runId).toBe(runId);
    expect(run.runId).toBe(runId);
    await run.result;
    expect(second.queries.map((q) => q.taskId)).toEqual(['b', 'd']);
    // A run that succeeded is not resumed again: a new one starts.
    const third = runTaskQueue(fakeQueryRuntime().runtime, diamond, { store, resume: true });
    expect(await third.started).toMatchObject({ resumed: false });
    expect(third.runId).not.toBe(runId);
    await third.result;
  });

  it('reruns a task in flight with no recorded session from its own prompt', async () => {
    const store = createMemoryStore();
    const first = fakeQueryRuntime((id) => ({ hang: id === 'a', noInit: true }));
    const host = killableStore(store);
    await runTaskQueue(first.runtime, diamond, { store: host.store, runId: 'r1' }).started;
    await vi.waitFor(async () => expect((await store.runs.tasks('r1'))[0]!.status).toBe('running'));
    host.kill();
    const second = fakeQueryRuntime();
    const summary = await runTaskQueue(second.runtime, diamond, {
      store,
      runId: 'r1',
      resume: true,
    }).result;
    expect(second.of('a')[0]!.prompt).toBe('task a');
    expect(second.of('a')[0]!.options.resume).toBeUndefined();
    expect(summary.tasks[0]!.attempts).toBe(2);
  });

  it('runs a task afresh when its session cannot be continued, without using up a retry', async () => {
    const store = createMemoryStore();
    await crashedRun(
      store,
      diamond,
      (id) => id === 'a',
      (tasks) => !!tasks[0]!.sessionId,
    );
    const second = fakeQueryRuntime((_id, _n, query) =>
      query.options.resume ? { status: 'failed' } : {},
    );
    const summary = await runTaskQueue(second.runtime, diamond, {
      store,
      runId: 'r1',
      resume: true,
    }).result;
    expect(summary.status).toBe('succeeded');
    expect(second.of('a').map((q) => [q.prompt, q.options.resume !== undefined])).toEqual([
      [DEFAULT_CONTINUATION_PROMPT, true],
      ['task a', false],
    ]);
    expect(summary.tasks[0]!.attempts).toBe(3);
  });

  it('reruns failed tasks and their skipped dependents by default, keeps them with `keep`', async () => {
    const plan: PlanInput = {
      name: 'chain',
      tasks: [
        { id: 'a', prompt: 'task a' },
        { id: 'b', prompt: 'task b', dependsOn: ['a'] },
      ],
    };
    const failing = fakeQueryRuntime(() => ({ status: 'failed' }));
    const store = createMemoryStore();
    const failed = await runTaskQueue(failing.runtime, plan, { store, runId: 'r1' }).result;
    expect(failed.counts).toMatchObject({ failed: 1, skipped: 1 });
    expect(await store.runs.getRun('r1')).toMatchObject({ status: 'failed' });

    const keeper = fakeQueryRuntime();
    const kept = await runTaskQueue(keeper.runtime, plan, {
      store,
      runId: 'r1',
      resume: true,
      resumePolicy: { failed: 'keep' },
    }).result;
    expect(keeper.queries).toEqual([]);
    expect(kept.tasks.map((t) => t.status)).toEqual(['failed', 'skipped']);
    expect(kept.tasks[0]!.error).toBe('query failed');

    const rerun = fakeQueryRuntime();
    // Without a run id: the plan's latest run, which did not succeed.
    const again = await runTaskQueue(rerun.runtime, plan, { store, resume: true }).result;
    expect(again.runId).toBe('r1');
    expect(again.status).toBe('succeeded');
    expect(rerun.queries.map((q) => q.taskId)).toEqual(['a', 'b']);
    // Attempts and cost go on from the journal.
    expect(again.tasks[0]).toMatchObject({ attempts: 2 });
    expect(again.tasks[0]!.costUsd).toBeCloseTo(0.02);
  });

  it('refuses a changed plan, listing what changed, and runs nothing', async () => {
    const store = createMemoryStore();
    await runTaskQueue(fakeQueryRuntime(() => ({ status: 'failed' })).runtime, diamond, {
      store,
      runId: 'r1',
    }).result;
    const changed: PlanInput = {
      name: 'diamond',
      tasks: [
        { id: 'a', prompt: 'task a' },
        { id: 'b', prompt: 'task b, better', dependsOn: ['a'] },
        { id: 'e', prompt: 'task e', dependsOn: ['a'] },
        { id: 'd', prompt: 'task d', dependsOn: ['b', 'e'] },
      ],
    };
    const fake = fakeQueryRuntime();
    const run = runTaskQueue(fake.runtime, changed, { store, runId: 'r1', resume: true });
    const error = await run.result.catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ResumeRefusedError);
    expect((error as ResumeRefusedError).changes).toEqual({
      added: ['e'],
      removed: ['c'],
      changed: ['b', 'd'],
    });
    expect((error as Error).message).toMatch(
      /tasks added: `e`; removed: `c`; changed: `b`, `d`\).*reconcile/,
    );
    await expect(run.started).rejects.toBe(error);
    expect(fake.queries).toEqual([]);
    expect(await store.runs.getRun('r1')).toMatchObject({ status: 'failed', resumes: 0 });
  });

  it('reconciles a changed plan: changed tasks and their dependents rerun, the rest is kept', async () => {
    const store = createMemoryStore();
    await runTaskQueue(fakeQueryRuntime().runtime, diamond, { store, runId: 'r1' }).result;
    const changed: PlanInput = {
      ...diamond,
      tasks: diamond.tasks.map((t) => (t.id === 'b' ? { ...t, prompt: 'task b v2' } : t)),
    };
    const fake = fakeQueryRuntime();
    const summary = await runTaskQueue(fake.runtime, changed, {
      store,
      runId: 'r1',
      resume: true,
      resumeChangedPlan: 'reconcile',
    }).result;
    expect(fake.queries.map((q) => q.taskId)).toEqual(['b', 'd']);
    expect(summary.tasks.find((t) => t.id === 'b')!.output).toBe('out of task b v2');
    // Resumed again with the same (now journalled) plan: nothing to do.
    const idle = fakeQueryRuntime();
    await runTaskQueue(idle.runtime, changed, { store, runId: 'r1', resume: true }).result;
    expect(idle.queries).toEqual([]);
  });

  it('aborts the run loudly when a journal write fails', async () => {
    const store = failingStore(
      createMemoryStore(),
      (id, event) => id === 'a' && event === 'succeeded',
    );
    const fake = fakeQueryRuntime();
    const run = runTaskQueue(fake.runtime, diamond, { store, runId: 'r1' });
    const error = await run.result.catch((e: unknown) => e);
    expect(error).toBeInstanceOf(StoreError);
    expect((error as Error).message).toMatch(
      /record task `a` of run `r1` \(succeeded\): disk I\/O error/,
    );
    // Nothing ran on without durability.
    expect(fake.queries.map((q) => q.taskId)).toEqual(['a']);
  });

  it('sends no query whose start could not be journalled', async () => {
    const store = failingStore(createMemoryStore(), (_id, event) => event === 'started');
    const fake = fakeQueryRuntime();
    const run = runTaskQueue(fake.runtime, diamond, { store, runId: 'r1' });
    await expect(run.result).rejects.toThrow(/record task `a` of run `r1` \(started\)/);
    expect(fake.queries).toEqual([]);
  });

  it('refuses `resume` without a store, and a journalled run id without `resume`', async () => {
    const { runtime } = fakeQueryRuntime();
    expect(() => runTaskQueue(runtime, diamond, { resume: true })).toThrow(InvalidOptionsError);
    expect(() => runTaskQueue(runtime, diamond, { resume: true })).toThrow(
      /`resume`.*needs a `store`/,
    );
    const store = createMemoryStore();
    await runTaskQueue(runtime, diamond, { store, runId: 'r1' }).result;
    await expect(runTaskQueue(runtime, diamond, { store, runId: 'r1' }).result).rejects.toThrow(
      /Run `r1` is in the store already \(succeeded\): resume it/,
    );
  });

  it('keeps report.json and the outputs of ended tasks current while the run goes on', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'ca-live-'));
    dirs.push(dir);
    const fake = fakeQueryRuntime((id) => ({ hang: id === 'c' }));
    const run = runTaskQueue(fake.runtime, diamond, { outputDir: dir, runId: 'r1' });
    const read = async () => JSON.parse(await readFile(join(dir, 'report.json'), 'utf8'));
    await vi.waitFor(async () =>
      expect((await read()).tasks.map((t: { status: string }) => t.status)).toEqual([
        'succeeded',
        'succeeded',
        'running',
        'pending',
      ]),
    );
    const report = await read();
    expect(report.status).toBe('running');
    expect(report.tasks[0].outputFile).toBe('tasks/a.md');
    expect(await readFile(join(dir, 'tasks', 'b.md'), 'utf8')).toBe('out of task b\n');
    run.cancel();
    const summary = await run.result;
    expect((await read()).status).toBe(summary.status);
  });
});
