import { StoreError } from '../errors/store-error.js';
import type { RunLease, RunLeases } from './run-lease.js';

/**
 * {@link RunLeases} in a map, as the SQLite ones behave, plus `drop` for a deleted run and
 * `holds` for a fenced write.
 * @internal
 */
export function memoryRunLeases(
  hasRun: (runId: string) => boolean,
): RunLeases & { drop(runId: string): void; holds(runId: string, token: string): boolean } {
  const leases = new Map<string, RunLease>();
  return {
    getLease: async (runId) => structuredClone(leases.get(runId)),
    claimLease: async (claim) => {
      if (!hasRun(claim.runId)) {
        throw new StoreError('STORE_FAILED', `The journal has no run \`${claim.runId}\``);
      }
      if (leases.get(claim.runId)?.token !== claim.expected) return undefined;
      const lease: RunLease = {
        runId: claim.runId,
        token: claim.token,
        owner: { ...claim.owner },
        acquiredAt: claim.at,
        renewedAt: claim.at,
        expiresAt: claim.expiresAt,
      };
      leases.set(claim.runId, lease);
      return structuredClone(lease);
    },
    renewLease: async (runId, token, at, expiresAt) => {
      const lease = leases.get(runId);
      if (lease?.token !== token) return false;
      leases.set(runId, { ...lease, renewedAt: at, expiresAt });
      return true;
    },
    releaseLease: async (runId, token) => {
      if (leases.get(runId)?.token !== token) return false;
      leases.delete(runId);
      return true;
    },
    holds: (runId, token) => leases.get(runId)?.token === token,
    drop: (runId) => {
      leases.delete(runId);
    },
  };
}
