import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createMemoryStore } from '../../../src/store/create-memory-store.js';
import { openSqliteStore } from '../../../src/store/open-sqlite-store.js';
import type { RunLeaseClaim, RunOwner } from '../../../src/store/runs/run-lease.js';
import type { RunStart } from '../../../src/store/runs/run-record.js';
import { openSqliteDatabase } from '../../../src/store/sqlite/open-sqlite-database.js';
import { SQLITE_MIGRATIONS } from '../../../src/store/sqlite/sqlite-migrations.js';
import type { Store } from '../../../src/store/store.js';

let dir: string;
const stores: Store[] = [];
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'ca-lease-'));
});
afterEach(async () => {
  await Promise.all(stores.splice(0).map((store) => store.close()));
  rmSync(dir, { recursive: true, force: true });
});

const start = (runId: string): RunStart => ({
  runId,
  planKey: 'docs',
  planName: 'docs',
  planHash: 'hash-1',
  at: 1_000,
  options: {},
  tasks: [{ taskId: 'a', hash: 'ha' }],
});

const owner = (pid: number, hostname = 'host-a'): RunOwner => ({
  pid,
  startTime: 4_242,
  bootId: 'boot-1',
  pidNamespace: 'pid:[1]',
  hostname,
});

const claim = (over: Partial<RunLeaseClaim> = {}): RunLeaseClaim => ({
  runId: 'r1',
  token: 't1',
  owner: owner(100),
  at: 10_000,
  expiresAt: 40_000,
  expected: undefined,
  ...over,
});

describe.each([
  ['sqlite', () => openSqliteStore(join(dir, 'store.db'))],
  ['memory', () => createMemoryStore()],
] as const)('%s run leases', (_kind, open) => {
  const journal = () => {
    const store = open();
    stores.push(store);
    return store.runs;
  };

  it('claims a run nobody holds, with its owner and times', async () => {
    const runs = journal();
    await runs.createRun(start('r1'));
    expect(await runs.getLease('r1')).toBeUndefined();
    const lease = await runs.claimLease(claim());
    expect(lease).toEqual({
      runId: 'r1',
      token: 't1',
      owner: owner(100),
      acquiredAt: 10_000,
      renewedAt: 10_000,
      expiresAt: 40_000,
    });
    expect(await runs.getLease('r1')).toEqual(lease);
  });

  it('keeps owner fields it does not know as undefined', async () => {
    const runs = journal();
    await runs.createRun(start('r1'));
    const bare: RunOwner = {
      pid: 7,
      startTime: undefined,
      bootId: undefined,
      pidNamespace: undefined,
      hostname: 'h',
    };
    await runs.claimLease(claim({ owner: bare }));
    expect((await runs.getLease('r1'))?.owner).toEqual(bare);
  });

  it('creates a run held by its creator, in one call', async () => {
    const runs = journal();
    await runs.createRun(start('r1'), {
      token: 't0',
      owner: owner(100),
      at: 1_000,
      expiresAt: 31_000,
    });
    expect(await runs.getLease('r1')).toEqual({
      runId: 'r1',
      token: 't0',
      owner: owner(100),
      acquiredAt: 1_000,
      renewedAt: 1_000,
      expiresAt: 31_000,
    });
    // A run that exists already keeps its lease: the failed create changes nothing.
    await expect(
      runs.createRun(start('r1'), { token: 't1', owner: owner(200), at: 2, expiresAt: 3 }),
    ).rejects.toThrow(/has a run `r1` already/);
    expect((await runs.getLease('r1'))?.token).toBe('t0');
  });

  it('keeps the owner machine id', async () => {
    const runs = journal();
    await runs.createRun(start('r1'));
    await runs.claimLease(claim({ owner: { ...owner(100), machineId: 'machine-1' } }));
    expect((await runs.getLease('r1'))?.owner.machineId).toBe('machine-1');
  });

  it('compares and sets: a claim expecting another token changes nothing', async () => {
    const runs = journal();
    await runs.createRun(start('r1'));
    await runs.claimLease(claim());
    // Expects the run free, but t1 holds it.
    expect(await runs.claimLease(claim({ token: 't2', owner: owner(200) }))).toBeUndefined();
    // Expects a stale token.
    expect(
      await runs.claimLease(claim({ token: 't2', owner: owner(200), expected: 'old' })),
    ).toBeUndefined();
    expect((await runs.getLease('r1'))?.token).toBe('t1');
    // Expects the token that holds it: a take-over.
    const taken = await runs.claimLease(
      claim({
        token: 't2',
        owner: owner(200, 'host-b'),
        at: 50_000,
        expiresAt: 80_000,
        expected: 't1',
      }),
    );
    expect(taken).toMatchObject({
      token: 't2',
      owner: { pid: 200, hostname: 'host-b' },
      acquiredAt: 50_000,
    });
  });

  it('renews and releases only for the token that holds the lease', async () => {
    const runs = journal();
    await runs.createRun(start('r1'));
    await runs.claimLease(claim());
    expect(await runs.renewLease('r1', 't1', 15_000, 45_000)).toBe(true);
    expect(await runs.getLease('r1')).toMatchObject({
      acquiredAt: 10_000,
      renewedAt: 15_000,
      expiresAt: 45_000,
    });
    expect(await runs.renewLease('r1', 'other', 16_000, 46_000)).toBe(false);
    expect(await runs.releaseLease('r1', 'other')).toBe(false);
    expect((await runs.getLease('r1'))?.renewedAt).toBe(15_000);
    expect(await runs.releaseLease('r1', 't1')).toBe(true);
    expect(await runs.getLease('r1')).toBeUndefined();
    expect(await runs.renewLease('r1', 't1', 17_000, 47_000)).toBe(false);
  });

  it('refuses a claim on a run it does not have, and drops the lease with its run', async () => {
    const runs = journal();
    await expect(runs.claimLease(claim({ runId: 'nope' }))).rejects.toThrow(
      /The journal has no run `nope`/,
    );
    await runs.createRun(start('r1'));
    await runs.claimLease(claim());
    await runs.deleteRun('r1');
    expect(await runs.getLease('r1')).toBeUndefined();
    await runs.createRun(start('r1'));
    expect(await runs.getLease('r1')).toBeUndefined();
  });
});

describe('sqlite run leases on one file', () => {
  it('lets exactly one of two stores racing for an expired lease win', async () => {
    const file = join(dir, 'store.db');
    const a = openSqliteStore(file);
    const b = openSqliteStore(file);
    stores.push(a, b);
    await a.runs.createRun(start('r1'));
    await a.runs.claimLease(claim({ token: 'dead', owner: owner(1) }));
    for (let round = 0; round < 20; round += 1) {
      const expected = (await a.runs.getLease('r1'))!.token;
      // Both read the same lease and race to replace it.
      const results = await Promise.all(
        [a, b].map((store, i) =>
          store.runs.claimLease(
            claim({ token: `t${round}-${i}`, owner: owner(10 + i), at: round, expected }),
          ),
        ),
      );
      const winners = results.filter((lease) => lease !== undefined);
      expect(winners).toHaveLength(1);
      expect((await b.runs.getLease('r1'))?.token).toBe(winners[0]!.token);
    }
  });

  it('upgrades a store of schema 4: its runs have no lease and can be claimed', async () => {
    const file = join(dir, 'store.db');
    const old = openSqliteDatabase(file, { migrations: SQLITE_MIGRATIONS.slice(0, 4) });
    old
      .prepare(
        'INSERT INTO runs (run_id, plan_key, plan_name, plan_hash, status, started_at, ' +
          "updated_at, options) VALUES ('r1', 'docs', 'docs', 'h', 'running', 1, 1, '{}')",
      )
      .run();
    old.close();
    const store = openSqliteStore(file);
    stores.push(store);
    expect((await store.runs.getRun('r1'))?.status).toBe('running');
    expect(await store.runs.getLease('r1')).toBeUndefined();
    expect(await store.runs.claimLease(claim())).toMatchObject({ token: 't1' });
  });

  it('upgrades a store of schema 5: its leases keep their owner, without a machine id', async () => {
    const file = join(dir, 'store.db');
    const db = openSqliteDatabase(file, { migrations: SQLITE_MIGRATIONS.slice(0, 5) });
    db.prepare(
      'INSERT INTO runs (run_id, plan_key, plan_name, plan_hash, status, started_at, ' +
        "updated_at, options) VALUES ('r1', 'docs', 'docs', 'h', 'running', 1, 1, '{}')",
    ).run();
    db.prepare(
      'INSERT INTO run_leases (run_id, token, owner_pid, owner_host, acquired_at, renewed_at, ' +
        "expires_at) VALUES ('r1', 't0', 5, 'host-a', 1, 1, 2)",
    ).run();
    db.close();
    const store = openSqliteStore(file);
    stores.push(store);
    expect(await store.runs.getLease('r1')).toMatchObject({
      token: 't0',
      owner: { pid: 5, hostname: 'host-a', machineId: undefined },
    });
  });

  it('keeps a lease across opens', async () => {
    const file = join(dir, 'store.db');
    const a = openSqliteStore(file);
    await a.runs.createRun(start('r1'));
    await a.runs.claimLease(claim());
    await a.close();
    const b = openSqliteStore(file);
    stores.push(b);
    expect((await b.runs.getLease('r1'))?.owner).toEqual(owner(100));
  });
});
