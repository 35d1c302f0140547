import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createMemoryStore } from '../../../src/store/create-memory-store.js';
import { StoreError } from '../../../src/store/errors/store-error.js';
import { openSqliteStore } from '../../../src/store/open-sqlite-store.js';
import type { RunJournal } from '../../../src/store/runs/run-journal.js';
import type { RunOwner } from '../../../src/store/runs/run-lease.js';
import { PENDING_TASK, type TaskSnapshot } from '../../../src/store/runs/task-record.js';
import type { Store } from '../../../src/store/store.js';

let dir: string;
const stores: Store[] = [];
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'ca-fencing-'));
});
afterEach(async () => {
  await Promise.all(stores.splice(0).map((store) => store.close()));
  rmSync(dir, { recursive: true, force: true });
});

const owner = (pid: number): RunOwner => ({
  pid,
  startTime: 1,
  bootId: 'boot-1',
  pidNamespace: 'pid:[1]',
  hostname: 'host-a',
});
const running: TaskSnapshot = { ...PENDING_TASK, status: 'running', attempts: 1 };
const done: TaskSnapshot = { ...running, status: 'succeeded', output: 'the bridge holds' };

/** Two hosts on one store: two connections to one SQLite file, or one memory store twice. */
const hosts = {
  sqlite: (): [RunJournal, RunJournal] => {
    const path = join(dir, 'store.db');
    const a = openSqliteStore(path);
    const b = openSqliteStore(path);
    stores.push(a, b);
    return [a.runs, b.runs];
  },
  memory: (): [RunJournal, RunJournal] => {
    const store = createMemoryStore();
    stores.push(store);
    return [store.runs, store.runs];
  },
};

describe.each(Object.entries(hosts))('%s journal fencing', (_kind, open) => {
  /** Host 1 creates the run holding lease `t1`; host 2 takes it over with `t2`. */
  const takenOver = async (): Promise<[RunJournal, RunJournal]> => {
    const [first, second] = open();
    await first.createRun(
      {
        runId: 'r1',
        planKey: 'p',
        planName: 'p',
        planHash: 'h',
        at: 0,
        options: {},
        tasks: [
          { taskId: 'a', hash: 'ha' },
          { taskId: 'b', hash: 'hb' },
        ],
      },
      { token: 't1', owner: owner(1), at: 0, expiresAt: 30_000 },
    );
    await first.recordTask('r1', 'a', 'started', running, 1, 't1');
    const claimed = await second.claimLease({
      runId: 'r1',
      token: 't2',
      owner: owner(2),
      at: 40_000,
      expiresAt: 70_000,
      expected: 't1',
    });
    expect(claimed?.token).toBe('t2');
    return [first, second];
  };

  it("refuses the old owner's batch with STORE_LEASE_LOST and lands nothing of it", async () => {
    const [first, second] = await takenOver();
    const tasks = await second.tasks('r1');
    const log = await second.transitions('r1');
    const refused = first.recordTasks(
      'r1',
      [
        { taskId: 'a', event: 'succeeded', snapshot: done, at: 2 },
        { taskId: 'b', event: 'started', snapshot: running, at: 2 },
      ],
      't1',
    );
    await expect(refused).rejects.toBeInstanceOf(StoreError);
    await expect(refused).rejects.toMatchObject({
      code: 'STORE_LEASE_LOST',
      message: expect.stringContaining('no longer holds run `r1`'),
    });
    await expect(first.recordTask('r1', 'b', 'started', running, 3, 't1')).rejects.toMatchObject({
      code: 'STORE_LEASE_LOST',
    });
    expect(await second.tasks('r1')).toEqual(tasks);
    expect(await second.transitions('r1')).toEqual(log);
    // The token is what holds a run: it is not in the message.
    await expect(refused).rejects.not.toMatchObject({ message: expect.stringContaining('t1') });
  });

  it("refuses the old owner's end of the run, and lets the new owner write", async () => {
    const [first, second] = await takenOver();
    await expect(first.finishRun('r1', 'succeeded', 5, 't1')).rejects.toMatchObject({
      code: 'STORE_LEASE_LOST',
    });
    expect((await second.getRun('r1'))?.status).toBe('running');
    await second.recordTask('r1', 'a', 'succeeded', done, 6, 't2');
    await second.finishRun('r1', 'succeeded', 7, 't2');
    expect((await second.tasks('r1'))[0]?.status).toBe('succeeded');
    expect((await first.getRun('r1'))?.status).toBe('succeeded');
  });

  it('refuses a fenced write once the lease is released, and never checks an unfenced one', async () => {
    const [first] = open();
    await first.createRun(
      {
        runId: 'r2',
        planKey: 'p',
        planName: 'p',
        planHash: 'h',
        at: 0,
        options: {},
        tasks: [{ taskId: 'a', hash: 'ha' }],
      },
      { token: 't1', owner: owner(1), at: 0, expiresAt: 30_000 },
    );
    expect(await first.releaseLease('r2', 't1')).toBe(true);
    await expect(first.recordTask('r2', 'a', 'started', running, 1, 't1')).rejects.toMatchObject({
      code: 'STORE_LEASE_LOST',
    });
    await first.recordTask('r2', 'a', 'started', running, 2);
    expect((await first.transitions('r2', 'a')).map((t) => t.event)).toEqual([
      'created',
      'started',
    ]);
  });
});
