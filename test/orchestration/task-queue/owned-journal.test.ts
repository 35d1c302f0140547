import { describe, expect, it } from 'vitest';
import { RunOwnedError } from '../../../src/orchestration/task-queue/errors/run-owned-error.js';
import { ownedJournal } from '../../../src/orchestration/task-queue/owned-journal.js';
import { createMemoryStore } from '../../../src/store/create-memory-store.js';
import { PENDING_TASK, type TaskSnapshot } from '../../../src/store/runs/task-record.js';

const snapshot: TaskSnapshot = { ...PENDING_TASK, status: 'running', attempts: 1 };

describe('ownedJournal', () => {
  it('writes while the run is held and refuses, with the lost error, once it is not', async () => {
    const { runs } = createMemoryStore();
    await runs.createRun({
      runId: 'r1',
      planKey: 'p',
      planName: undefined,
      planHash: 'h',
      at: 0,
      options: {},
      tasks: [{ taskId: 'a', hash: 'ha' }],
    });
    let lost: RunOwnedError | undefined;
    const owned = ownedJournal(runs, () => lost);
    const before = (await runs.transitions('r1', 'a')).length;
    await owned.recordTask('r1', 'a', 'started', snapshot, 1);
    expect(await runs.transitions('r1', 'a')).toHaveLength(before + 1);

    lost = new RunOwnedError('This host lost run `r1`', {
      runId: 'r1',
      token: 't',
      owner: { pid: 1, startTime: 1, bootId: 'b', pidNamespace: 'n', hostname: 'h' },
      acquiredAt: 0,
      renewedAt: 0,
      expiresAt: 1,
    });
    await expect(owned.recordTask('r1', 'a', 'succeeded', snapshot, 2)).rejects.toBe(lost);
    await expect(
      owned.recordTasks('r1', [{ taskId: 'a', event: 'failed', snapshot, at: 3 }]),
    ).rejects.toBe(lost);
    expect(await runs.transitions('r1', 'a')).toHaveLength(before + 1);
    // The other calls go through, bound to the journal.
    expect((await owned.getRun('r1'))?.runId).toBe('r1');
  });
});
