import { describe, expect, it } from 'vitest';
import { RunOwnedError } from '../../../src/orchestration/task-queue/errors/run-owned-error.js';
import { taskJournalWriter } from '../../../src/orchestration/task-queue/task-journal-writer.js';
import { createMemoryStore } from '../../../src/store/create-memory-store.js';
import type { RunJournal } from '../../../src/store/runs/run-journal.js';
import { PENDING_TASK, type TaskSnapshot } from '../../../src/store/runs/task-record.js';

/** A journal whose task writes each wait for `release()` before they reach the memory store. */
async function gatedJournal() {
  const store = createMemoryStore();
  await store.runs.createRun({
    runId: 'r',
    planKey: 'p',
    planName: 'p',
    planHash: 'h',
    at: 0,
    options: {},
    tasks: ['a', 'b', 'c'].map((taskId) => ({ taskId, hash: 'h' })),
  });
  const gates: (() => void)[] = [];
  const batches: string[][] = [];
  const journal: RunJournal = {
    ...store.runs,
    recordTasks: async (...args) => {
      batches.push(args[1].map((write) => `${write.taskId} ${write.event}`));
      await new Promise<void>((resolve) => gates.push(resolve));
      return store.runs.recordTasks(...args);
    },
  };
  // Resolves once a batch is waiting at the gate (its commit begun).
  const reached = async (): Promise<void> => {
    for (let i = 0; i < 100 && gates.length === 0; i++) await new Promise(setImmediate);
    if (gates.length === 0) throw new Error('no write is waiting at the gate');
  };
  // Lets the oldest batch through once it reached the gate.
  const release = async (): Promise<void> => {
    await reached();
    gates.shift()!();
  };
  return { journal, release, reached, batches };
}

const queued: TaskSnapshot = { ...PENDING_TASK, status: 'queued' };
const flush = async (): Promise<void> => {
  for (let i = 0; i < 5; i++) await new Promise(setImmediate);
};

describe('taskJournalWriter', () => {
  it('settled() waits for writes recorded while it waits, until the queue stops growing', async () => {
    const { journal, release, reached, batches } = await gatedJournal();
    const writer = taskJournalWriter(
      journal,
      'r',
      () => 1,
      () => undefined,
    );
    void writer.record('a', 'queued', queued);
    let done = false;
    const settled = writer.settled().then(() => {
      done = true;
    });
    await reached();
    // Queued after settled() was asked, while `a` commits, as a transition caused by an
    // earlier commit is.
    void writer.record('b', 'queued', queued);
    await release();
    await flush();
    expect(done).toBe(false);
    await release();
    await settled;
    const tasks = await journal.tasks('r');
    expect(tasks.map((t) => t.status)).toEqual(['queued', 'queued', 'pending']);
    expect(batches).toEqual([['a queued'], ['b queued']]);
  });

  it('settled() resolves at once with nothing queued, and after a failed write', async () => {
    const store = createMemoryStore();
    const failures: unknown[] = [];
    const writer = taskJournalWriter(
      store.runs,
      'missing',
      () => 1,
      (e) => failures.push(e),
    );
    await writer.settled();
    await expect(writer.record('a', 'queued', queued)).rejects.toMatchObject({
      code: 'STORE_FAILED',
    });
    await writer.settled();
    expect(failures).toHaveLength(1);
    expect(writer.failure?.message).toMatch(/no task `a` in run `missing`/);
  });

  it('commits the transitions of one turn in one batch, each settling only once it is committed', async () => {
    const { journal, release, reached, batches } = await gatedJournal();
    const writer = taskJournalWriter(
      journal,
      'r',
      () => 7,
      () => undefined,
    );
    const settled: string[] = [];
    const track = (name: string, write: Promise<void>): void => {
      void write.then(() => settled.push(name));
    };
    track('a succeeded', writer.record('a', 'succeeded', { ...queued, status: 'succeeded' }));
    track('b queued', writer.record('b', 'queued', queued));
    track('b started', writer.record('b', 'started', { ...queued, status: 'running' }));
    await reached();
    expect(batches).toEqual([['a succeeded', 'b queued', 'b started']]);
    await flush();
    // Not committed yet: `b`'s query must not be sent.
    expect(settled).toEqual([]);
    await release();
    await writer.settled();
    expect(settled).toEqual(['a succeeded', 'b queued', 'b started']);
    const log = await journal.transitions('r', 'b');
    expect(log.map((t) => [t.event, t.at])).toEqual([
      ['created', 0],
      ['queued', 7],
      ['started', 7],
    ]);
  });

  it('rejects every write of a failed batch and every later one, reporting the failure once', async () => {
    const store = createMemoryStore();
    await store.runs.createRun({
      runId: 'r',
      planKey: 'p',
      planName: 'p',
      planHash: 'h',
      at: 0,
      options: {},
      tasks: [{ taskId: 'a', hash: 'h' }],
    });
    const calls: number[] = [];
    const journal: RunJournal = {
      ...store.runs,
      recordTasks: async (_runId, writes) => {
        calls.push(writes.length);
        throw new Error('disk I/O error');
      },
    };
    const failures: unknown[] = [];
    const writer = taskJournalWriter(
      journal,
      'r',
      () => 1,
      (error) => failures.push(error),
    );
    const first = writer.record('a', 'queued', queued);
    const second = writer.record('a', 'started', { ...queued, status: 'running' });
    await expect(first).rejects.toThrow(
      /could not record tasks `a` \(queued\), `a` \(started\) of run `r`: disk I\/O error/,
    );
    await expect(second).rejects.toBe(writer.failure);
    await expect(writer.record('a', 'failed', queued)).rejects.toBe(writer.failure);
    await writer.settled();
    expect(calls).toEqual([2]);
    expect(failures).toEqual([writer.failure]);
    expect(writer.failure?.code).toBe('STORE_FAILED');
  });

  it('keeps a RunOwnedError as it is: the run was lost, the store did not fail', async () => {
    const store = createMemoryStore();
    const lost = new RunOwnedError('This host lost run `r`', {
      runId: 'r',
      token: 't',
      owner: { pid: 1, startTime: 1, bootId: 'b', pidNamespace: 'n', hostname: 'h' },
      acquiredAt: 0,
      renewedAt: 0,
      expiresAt: 1,
    });
    const journal: RunJournal = {
      ...store.runs,
      recordTasks: async () => {
        throw lost;
      },
    };
    const failures: unknown[] = [];
    const writer = taskJournalWriter(
      journal,
      'r',
      () => 1,
      (error) => failures.push(error),
    );
    await expect(writer.record('a', 'queued', queued)).rejects.toBe(lost);
    expect(writer.failure).toBe(lost);
    expect(failures).toEqual([lost]);
  });
});
