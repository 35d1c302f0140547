import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createMemoryStore } from '../../../src/store/create-memory-store.js';
import { StoreError } from '../../../src/store/errors/store-error.js';
import { openSqliteStore } from '../../../src/store/open-sqlite-store.js';
import type { RunStart } from '../../../src/store/runs/run-record.js';
import { PENDING_TASK, type TaskSnapshot } from '../../../src/store/runs/task-record.js';
import { loadSqliteDriver } from '../../../src/store/sqlite/load-sqlite-driver.js';
import type { Store } from '../../../src/store/store.js';

let dir: string;
const stores: Store[] = [];
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'ca-journal-'));
});
afterEach(async () => {
  await Promise.all(stores.splice(0).map((store) => store.close()));
  rmSync(dir, { recursive: true, force: true });
});

const start = (runId: string, at = 1_000, planKey = 'docs'): RunStart => ({
  runId,
  planKey,
  planName: 'docs',
  planHash: 'hash-1',
  at,
  options: { workers: 2 },
  tasks: [
    { taskId: 'a', hash: 'ha' },
    { taskId: 'b', hash: 'hb' },
  ],
});

const running = (over: Partial<TaskSnapshot> = {}): TaskSnapshot => ({
  ...PENDING_TASK,
  status: 'running',
  attempts: 1,
  queryId: 'r:a:1',
  worker: 'worker-1',
  startedAt: 1_100,
  ...over,
});

describe.each([
  ['sqlite', () => openSqliteStore(join(dir, 'store.db'))],
  ['memory', () => createMemoryStore()],
] as const)('%s run journal', (_kind, open) => {
  const journal = () => {
    const store = open();
    stores.push(store);
    return store.runs;
  };

  it('records a run with every task pending, in plan order, with a created entry each', async () => {
    const runs = journal();
    const run = await runs.createRun(start('r1'));
    expect(run).toMatchObject({
      runId: 'r1',
      status: 'running',
      resumes: 0,
      finishedAt: undefined,
    });
    expect(run.options).toEqual({ workers: 2 });
    const tasks = await runs.tasks('r1');
    expect(tasks.map((t) => [t.taskId, t.position, t.hash, t.status])).toEqual([
      ['a', 0, 'ha', 'pending'],
      ['b', 1, 'hb', 'pending'],
    ]);
    expect((await runs.transitions('r1')).map((t) => [t.taskId, t.event])).toEqual([
      ['a', 'created'],
      ['b', 'created'],
    ]);
    await expect(runs.createRun(start('r1'))).rejects.toThrow(/has a run `r1` already/);
  });

  it('replaces the task row and appends one log entry per transition', async () => {
    const runs = journal();
    await runs.createRun(start('r1'));
    await runs.recordTask('r1', 'a', 'started', running(), 1_100);
    await runs.recordTask('r1', 'a', 'session', running({ sessionId: 's-1' }), 1_150);
    const usage = {
      inputTokens: 10,
      outputTokens: 5,
      cacheReadInputTokens: 0,
      cacheCreationInputTokens: 0,
    };
    await runs.recordTask(
      'r1',
      'a',
      'succeeded',
      running({
        status: 'succeeded',
        sessionId: 's-1',
        output: 'the outline',
        costUsd: 0.25,
        queryAttempts: 1,
        usage,
        finishedAt: 1_200,
      }),
      1_200,
    );
    const [a] = await runs.tasks('r1');
    expect(a).toMatchObject({
      status: 'succeeded',
      attempts: 1,
      sessionId: 's-1',
      output: 'the outline',
      costUsd: 0.25,
      usage,
      worker: 'worker-1',
      startedAt: 1_100,
      finishedAt: 1_200,
      updatedAt: 1_200,
    });
    const log = await runs.transitions('r1', 'a');
    expect(log.map((t) => [t.event, t.status, t.sessionId])).toEqual([
      ['created', 'pending', undefined],
      ['started', 'running', undefined],
      ['session', 'running', 's-1'],
      ['succeeded', 'succeeded', 's-1'],
    ]);
    expect(log.map((t) => t.seq)).toEqual([...log.map((t) => t.seq)].sort((x, y) => x - y));
    await expect(runs.recordTask('r1', 'zz', 'started', running(), 1)).rejects.toThrow(
      /no task `zz` in run `r1`/,
    );
    await expect(runs.recordTask('nope', 'a', 'started', running(), 1)).rejects.toBeInstanceOf(
      StoreError,
    );
  });

  it('records a batch of transitions in order, and a batch naming a missing task not at all', async () => {
    const runs = journal();
    await runs.createRun(start('r1'));
    await runs.recordTasks('r1', [
      { taskId: 'a', event: 'started', snapshot: running(), at: 1_100 },
      { taskId: 'b', event: 'queued', snapshot: { ...PENDING_TASK, status: 'queued' }, at: 1_101 },
      {
        taskId: 'a',
        event: 'succeeded',
        snapshot: running({ status: 'succeeded', output: 'done', finishedAt: 1_102 }),
        at: 1_102,
      },
    ]);
    expect(
      (await runs.tasks('r1')).map((t) => [t.taskId, t.status, t.output, t.updatedAt]),
    ).toEqual([
      ['a', 'succeeded', 'done', 1_102],
      ['b', 'queued', undefined, 1_101],
    ]);
    const log = (await runs.transitions('r1')).slice(2);
    expect(log.map((t) => [t.taskId, t.event, t.at])).toEqual([
      ['a', 'started', 1_100],
      ['b', 'queued', 1_101],
      ['a', 'succeeded', 1_102],
    ]);
    await expect(
      runs.recordTasks('r1', [
        { taskId: 'b', event: 'started', snapshot: running(), at: 1_200 },
        { taskId: 'zz', event: 'started', snapshot: running(), at: 1_200 },
      ]),
    ).rejects.toThrow(/no task `zz` in run `r1`/);
    // Nothing of the refused batch: `b` is still queued, the log unchanged.
    expect((await runs.tasks('r1'))[1]).toMatchObject({ status: 'queued', updatedAt: 1_101 });
    expect(await runs.transitions('r1')).toHaveLength(5);
    await runs.recordTasks('r1', []);
    expect(await runs.transitions('r1')).toHaveLength(5);
  });

  it('keeps no reference to a recorded snapshot: a later change does not reach the journal', async () => {
    const runs = journal();
    await runs.createRun(start('r1'));
    const usage = {
      inputTokens: 1,
      outputTokens: 1,
      cacheReadInputTokens: 0,
      cacheCreationInputTokens: 0,
    };
    await runs.recordTask('r1', 'a', 'started', running({ usage }), 1_100);
    usage.inputTokens = 99;
    const [a] = await runs.tasks('r1');
    expect(a?.usage?.inputTokens).toBe(1);
    (a!.usage as { inputTokens: number }).inputTokens = 42;
    expect((await runs.tasks('r1'))[0]?.usage?.inputTokens).toBe(1);
  });

  it('stores outputs and errors redacted', async () => {
    const runs = journal();
    await runs.createRun(start('r1'));
    const key = `sk-ant-api03-${'x'.repeat(40)}`;
    await runs.recordTask(
      'r1',
      'a',
      'failed',
      running({ status: 'failed', output: `key ${key}`, error: `bad key ${key}` }),
      2,
    );
    const [a] = await runs.tasks('r1');
    expect(a!.output).toBe('key [redacted]');
    expect(a!.error).toBe('bad key [redacted]');
    expect(JSON.stringify(await runs.transitions('r1'))).not.toContain(key);
  });

  it('finishes, lists newest first by plan, reopens with added, removed and reset tasks', async () => {
    const runs = journal();
    await runs.createRun(start('old', 1_000));
    await runs.createRun(start('other', 1_500, 'else'));
    await runs.createRun(start('new', 2_000));
    await runs.finishRun('new', 'failed', 2_500);
    expect((await runs.listRuns({ planKey: 'docs' })).map((r) => r.runId)).toEqual(['new', 'old']);
    expect((await runs.listRuns()).map((r) => r.runId)).toEqual(['new', 'other', 'old']);
    expect(await runs.getRun('new')).toMatchObject({ status: 'failed', finishedAt: 2_500 });
    expect(await runs.getRun('missing')).toBeUndefined();

    await runs.recordTask(
      'new',
      'a',
      'succeeded',
      running({ status: 'succeeded', output: 'A' }),
      2_100,
    );
    await runs.recordTask(
      'new',
      'b',
      'failed',
      running({
        status: 'failed',
        error: 'boom',
        costUsd: 0.5,
        attempts: 2,
        failures: 2,
        sessionId: 's',
      }),
      2_200,
    );
    const reopened = await runs.reopenRun({
      ...start('new', 3_000),
      planHash: 'hash-2',
      tasks: [
        { taskId: 'b', hash: 'hb' },
        { taskId: 'c', hash: 'hc' },
      ],
      reset: ['b'],
    });
    expect(reopened).toMatchObject({
      status: 'running',
      planHash: 'hash-2',
      resumes: 1,
      finishedAt: undefined,
    });
    const tasks = await runs.tasks('new');
    expect(tasks.map((t) => [t.taskId, t.position, t.status])).toEqual([
      ['b', 0, 'pending'],
      ['c', 1, 'pending'],
    ]);
    // A reset keeps what was spent, forgets the outcome.
    expect(tasks[0]).toMatchObject({
      attempts: 2,
      costUsd: 0.5,
      failures: 0,
      error: undefined,
      sessionId: undefined,
    });
    const events = (await runs.transitions('new')).map((t) => `${t.taskId}:${t.event}`);
    expect(events.slice(-2)).toEqual(['b:reset', 'c:created']);
    // The log of a dropped task stays.
    expect(events).toContain('a:succeeded');
    await expect(runs.reopenRun({ ...start('missing'), reset: [] })).rejects.toThrow(
      /no run `missing`/,
    );
    await runs.deleteRun('new');
    expect(await runs.getRun('new')).toBeUndefined();
    expect(await runs.transitions('new')).toEqual([]);
    expect(await runs.tasks('new')).toEqual([]);
  });
});

describe('sqlite run journal', () => {
  it('keeps every committed transition across opens', async () => {
    const path = join(dir, 'store.db');
    const first = openSqliteStore(path);
    await first.runs.createRun(start('r1'));
    await first.runs.recordTask('r1', 'a', 'session', running({ sessionId: 's-9' }), 5);
    await first.close();
    const second = openSqliteStore(path);
    stores.push(second);
    expect((await second.runs.tasks('r1'))[0]).toMatchObject({
      status: 'running',
      sessionId: 's-9',
    });
  });

  it('fails a write with a StoreError naming the task and the store, rolled back', async () => {
    const path = join(dir, 'store.db');
    const store = openSqliteStore(path);
    await store.runs.createRun(start('r1'));
    await store.close();
    let error: unknown;
    try {
      await store.runs.recordTask('r1', 'a', 'started', running(), 5);
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(StoreError);
    expect((error as StoreError).code).toBe('STORE_FAILED');
    expect((error as Error).message).toMatch(/record task `a` of run `r1` \(started\).*store\.db/);
  });

  it('fails a batch with a StoreError naming the transition that failed, all of it rolled back', async () => {
    const path = join(dir, 'store.db');
    const store = openSqliteStore(path);
    stores.push(store);
    await store.runs.createRun(start('r1'));
    const other = new (loadSqliteDriver())(path);
    other.exec(
      "CREATE TRIGGER no_b BEFORE INSERT ON run_task_transitions WHEN NEW.task_id = 'b' BEGIN SELECT RAISE(ABORT, 'log refused'); END",
    );
    other.close();
    await expect(
      store.runs.recordTasks('r1', [
        { taskId: 'a', event: 'started', snapshot: running(), at: 5 },
        { taskId: 'b', event: 'queued', snapshot: { ...PENDING_TASK, status: 'queued' }, at: 5 },
      ]),
    ).rejects.toThrow(/record task `b` of run `r1` \(queued\): log refused.*store\.db/);
    expect((await store.runs.tasks('r1')).map((t) => t.status)).toEqual(['pending', 'pending']);
    expect(await store.runs.transitions('r1')).toHaveLength(2);
  });

  it('writes the task row and its log entry in one transaction: both or neither', async () => {
    const path = join(dir, 'store.db');
    const store = openSqliteStore(path);
    stores.push(store);
    await store.runs.createRun(start('r1'));
    // Another process breaks the log table: the row update must roll back with the entry.
    const other = new (loadSqliteDriver())(path);
    other.exec(
      "CREATE TRIGGER no_log BEFORE INSERT ON run_task_transitions BEGIN SELECT RAISE(ABORT, 'log refused'); END",
    );
    other.close();
    await expect(store.runs.recordTask('r1', 'a', 'started', running(), 5)).rejects.toThrow(
      /log refused/,
    );
    expect((await store.runs.tasks('r1'))[0]).toMatchObject({ status: 'pending', attempts: 0 });
  });
});
