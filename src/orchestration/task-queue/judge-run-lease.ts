import { processStartTime } from '../../process/registry/process-start-time.js';
import type { RunLease, RunOwner } from '../../store/runs/run-lease.js';

/**
 * Whether a run's lease still holds, and why:
 * - `alive`: its owner runs here (same machine, boot and pid namespace; its pid running with
 *   the recorded start time), whatever the lease says.
 * - `fresh`: its owner is out of sight (another machine or pid namespace, or no start time
 *   recorded) and renewed the lease lately.
 * - `dead`: its owner would run here, but its pid is gone or now names another process.
 * - `rebooted`: its owner ran on this machine in an earlier boot: the same hostname and
 *   machine id (`/etc/machine-id`, when both sides recorded one), another boot id. A hostname
 *   alone is not a machine (cloned VMs, containers with a fixed hostname): another boot id
 *   under the same hostname only means the owner is out of sight.
 * - `expired`: its owner is out of sight and let the lease lapse.
 * @internal
 */
export type RunLeaseVerdict =
  | { readonly holds: true; readonly why: 'alive' | 'fresh' }
  | { readonly holds: false; readonly why: 'dead' | 'rebooted' | 'expired' };

/**
 * Judges `lease` as seen by `self` at `now` (ms since the epoch). A process it can look up is
 * judged by `/proc` alone (a dead owner's run is taken over at once, a live one's never);
 * one it cannot, by the lease's expiry.
 * @internal
 */
export function judgeRunLease(lease: RunLease, self: RunOwner, now: number): RunLeaseVerdict {
  const { owner } = lease;
  const sameMachine = owner.hostname === self.hostname;
  const sameBoot =
    owner.bootId !== undefined && self.bootId !== undefined && owner.bootId === self.bootId;
  if (sameMachine && sameBoot && owner.pidNamespace === self.pidNamespace) {
    if (owner.startTime !== undefined) {
      return processStartTime(owner.pid) === owner.startTime
        ? { holds: true, why: 'alive' }
        : { holds: false, why: 'dead' };
    }
  } else if (
    sameMachine &&
    owner.machineId !== undefined &&
    owner.machineId === self.machineId &&
    owner.bootId !== undefined &&
    self.bootId !== undefined &&
    !sameBoot
  ) {
    // This very machine, another boot: no process of that boot survives.
    return { holds: false, why: 'rebooted' };
  }
  return now < lease.expiresAt ? { holds: true, why: 'fresh' } : { holds: false, why: 'expired' };
}
