import type { Database } from 'better-sqlite3';
import { StoreError } from '../errors/store-error.js';
import { guardStoreCall } from './guard-store-call.js';
import type { RunLease, RunLeaseClaim, RunLeases } from './run-lease.js';

interface LeaseRow {
  run_id: string;
  token: string;
  owner_pid: number;
  owner_start_time: number | null;
  owner_boot_id: string | null;
  owner_pid_ns: string | null;
  owner_host: string;
  owner_machine_id: string | null;
  acquired_at: number;
  renewed_at: number;
  expires_at: number;
}

const opt = <T>(value: T | null): T | undefined => (value === null ? undefined : value);

function toLease(row: LeaseRow): RunLease {
  return {
    runId: row.run_id,
    token: row.token,
    owner: {
      pid: row.owner_pid,
      startTime: opt(row.owner_start_time),
      bootId: opt(row.owner_boot_id),
      pidNamespace: opt(row.owner_pid_ns),
      hostname: row.owner_host,
      machineId: opt(row.owner_machine_id),
    },
    acquiredAt: row.acquired_at,
    renewedAt: row.renewed_at,
    expiresAt: row.expires_at,
  };
}

/**
 * {@link RunLeases} on the `run_leases` table of migration 5. A claim reads and writes the
 * lease inside one `BEGIN IMMEDIATE` transaction, which holds the file's write lock: hosts
 * racing on one file are serialised, and only the first finds the token it expected.
 * `claimWithin` claims inside a transaction already open (the journal's `createRun`).
 * @internal
 */
export function sqliteRunLeases(
  db: Database,
  location?: string,
): RunLeases & { claimWithin(claim: RunLeaseClaim): RunLease | undefined } {
  const getLease = db.prepare<[string], LeaseRow>('SELECT * FROM run_leases WHERE run_id = ?');
  const hasRun = db.prepare<[string], { one: number }>(
    'SELECT 1 AS one FROM runs WHERE run_id = ?',
  );
  const upsert = db.prepare(
    'INSERT INTO run_leases (run_id, token, owner_pid, owner_start_time, owner_boot_id, ' +
      'owner_pid_ns, owner_host, owner_machine_id, acquired_at, renewed_at, expires_at) ' +
      'VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (run_id) DO UPDATE SET ' +
      'token = excluded.token, owner_pid = excluded.owner_pid, ' +
      'owner_start_time = excluded.owner_start_time, owner_boot_id = excluded.owner_boot_id, ' +
      'owner_pid_ns = excluded.owner_pid_ns, owner_host = excluded.owner_host, ' +
      'owner_machine_id = excluded.owner_machine_id, ' +
      'acquired_at = excluded.acquired_at, renewed_at = excluded.renewed_at, ' +
      'expires_at = excluded.expires_at',
  );
  const renew = db.prepare(
    'UPDATE run_leases SET renewed_at = ?, expires_at = ? WHERE run_id = ? AND token = ?',
  );
  const release = db.prepare('DELETE FROM run_leases WHERE run_id = ? AND token = ?');

  const guarded = <T>(what: string, work: () => T): T => guardStoreCall(what, work, location);

  const claim = db.transaction((input: RunLeaseClaim): RunLease | undefined => {
    if (!hasRun.get(input.runId)) {
      throw new StoreError('STORE_FAILED', `The journal has no run \`${input.runId}\``, {
        location,
      });
    }
    if (getLease.get(input.runId)?.token !== input.expected) return undefined;
    const { owner } = input;
    upsert.run(
      input.runId,
      input.token,
      owner.pid,
      owner.startTime ?? null,
      owner.bootId ?? null,
      owner.pidNamespace ?? null,
      owner.hostname,
      owner.machineId ?? null,
      input.at,
      input.at,
      input.expiresAt,
    );
    return toLease(getLease.get(input.runId)!);
  });

  return {
    // For a transaction of the journal's (a nested one is a savepoint): the new run's lease.
    claimWithin: (input) => claim(input),
    getLease: async (runId) =>
      guarded(`read the lease of run \`${runId}\``, () => {
        const row = getLease.get(runId);
        return row && toLease(row);
      }),
    claimLease: async (input) =>
      guarded(`claim run \`${input.runId}\``, () => claim.immediate(input)),
    renewLease: async (runId, token, at, expiresAt) =>
      guarded(
        `renew the lease of run \`${runId}\``,
        () => renew.run(at, expiresAt, runId, token).changes > 0,
      ),
    releaseLease: async (runId, token) =>
      guarded(`release run \`${runId}\``, () => release.run(runId, token).changes > 0),
  };
}
