import { describe, expect, it } from 'vitest';
import { RunOwnedError } from '../../../src/orchestration/task-queue/errors/run-owned-error.js';
import { ownedJournal } from '../../../src/orchestration/task-queue/owned-journal.js';
import { createMemoryStore } from '../../../src/store/create-memory-store.js';
import { StoreError } from '../../../src/store/errors/store-error.js';
import type { RunLease } from '../../../src/store/runs/run-lease.js';
import { PENDING_TASK, type TaskSnapshot } from '../../../src/store/runs/task-record.js';

const snapshot: TaskSnapshot = { ...PENDING_TASK, status: 'running', attempts: 1 };
const owner = { pid: 1, startTime: 1, bootId: 'b', pidNamespace: 'n', hostname: 'h' };
const lease: RunLease = {
  runId: 'r1',
  token: 't',
  owner,
  acquiredAt: 0,
  renewedAt: 0,
  expiresAt: 30_000,
};
const start = {
  runId: 'r1',
  planKey: 'p',
  planName: undefined,
  planHash: 'h',
  at: 0,
  options: {},
  tasks: [{ taskId: 'a', hash: 'ha' }],
};

describe('ownedJournal', () => {
  it('writes while the run is held and refuses, with the lost error, once it is not', async () => {
    const { runs } = createMemoryStore();
    await runs.createRun(start, { token: 't', owner, at: 0, expiresAt: 30_000 });
    let lost: RunOwnedError | undefined;
    const owned = ownedJournal(runs, lease, () => lost);
    const before = (await runs.transitions('r1', 'a')).length;
    await owned.recordTask('r1', 'a', 'started', snapshot, 1);
    expect(await runs.transitions('r1', 'a')).toHaveLength(before + 1);

    lost = new RunOwnedError('This host lost run `r1`', lease);
    await expect(owned.recordTask('r1', 'a', 'succeeded', snapshot, 2)).rejects.toBe(lost);
    await expect(
      owned.recordTasks('r1', [{ taskId: 'a', event: 'failed', snapshot, at: 3 }]),
    ).rejects.toBe(lost);
    expect(await runs.transitions('r1', 'a')).toHaveLength(before + 1);
    // The other calls go through, bound to the journal.
    expect((await owned.getRun('r1'))?.runId).toBe('r1');
  });

  it('turns the store refusing its lease token into a RunOwnedError, nothing of it written', async () => {
    const { runs } = createMemoryStore();
    await runs.createRun(start, { token: 't', owner, at: 0, expiresAt: 30_000 });
    const owned = ownedJournal(runs, lease, () => undefined);
    await owned.recordTask('r1', 'a', 'started', snapshot, 1);
    // Another host takes the run over between two renewals: this host has not heard of it.
    await runs.claimLease({
      runId: 'r1',
      token: 'theirs',
      owner: { ...owner, pid: 2 },
      at: 40_000,
      expiresAt: 70_000,
      expected: 't',
    });
    const log = await runs.transitions('r1');
    const refused = owned.recordTasks('r1', [{ taskId: 'a', event: 'failed', snapshot, at: 2 }]);
    await expect(refused).rejects.toBeInstanceOf(RunOwnedError);
    await expect(refused).rejects.toMatchObject({
      runId: 'r1',
      message: expect.stringContaining('refused'),
      // The host that holds the run now, not this one.
      owner: { pid: 2 },
      expiresAt: 70_000,
    });
    await expect(owned.recordTask('r1', 'a', 'failed', snapshot, 3)).rejects.toBeInstanceOf(
      RunOwnedError,
    );
    await expect(owned.finishRun('r1', 'failed', 4)).rejects.toBeInstanceOf(RunOwnedError);
    expect(await runs.transitions('r1')).toEqual(log);
    expect((await runs.getRun('r1'))?.status).toBe('running');
  });

  it('passes other store failures as they are', async () => {
    const { runs } = createMemoryStore();
    await runs.createRun(start, { token: 't', owner, at: 0, expiresAt: 30_000 });
    const owned = ownedJournal(runs, lease, () => undefined);
    const missing = owned.recordTask('r1', 'zz', 'started', snapshot, 1);
    await expect(missing).rejects.toBeInstanceOf(StoreError);
    await expect(missing).rejects.toMatchObject({ code: 'STORE_FAILED' });
  });
});
