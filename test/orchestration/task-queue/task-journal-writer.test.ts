import { describe, expect, it } from 'vitest';
import { taskJournalWriter } from '../../../src/orchestration/task-queue/task-journal-writer.js';
import { createMemoryStore } from '../../../src/store/create-memory-store.js';
import type { RunJournal } from '../../../src/store/runs/run-journal.js';
import { PENDING_TASK, type TaskSnapshot } from '../../../src/store/runs/task-record.js';

/** A journal whose task writes each wait for `release()` before they reach the memory store. */
async function gatedJournal(): Promise<{ journal: RunJournal; release: () => Promise<void> }> {
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
  const journal: RunJournal = {
    ...store.runs,
    recordTask: async (...args) => {
      await new Promise<void>((resolve) => gates.push(resolve));
      return store.runs.recordTask(...args);
    },
  };
  // Lets the oldest write through once it reached the gate.
  const release = async (): Promise<void> => {
    for (let i = 0; i < 50 && gates.length === 0; i++) await Promise.resolve();
    if (gates.length === 0) throw new Error('no write is waiting at the gate');
    gates.shift()!();
  };
  return { journal, release };
}

const queued: TaskSnapshot = { ...PENDING_TASK, status: 'queued' };
const flush = async (): Promise<void> => {
  for (let i = 0; i < 20; i++) await Promise.resolve();
};

describe('taskJournalWriter', () => {
  it('settled() waits for writes recorded while it waits, until the queue stops growing', async () => {
    const { journal, release } = await gatedJournal();
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
    // Queued after settled() was asked, as a transition caused by an earlier commit is.
    void writer.record('b', 'queued', queued);
    await release();
    await flush();
    expect(done).toBe(false);
    await release();
    await settled;
    const tasks = await journal.tasks('r');
    expect(tasks.map((t) => t.status)).toEqual(['queued', 'queued', 'pending']);
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
});
