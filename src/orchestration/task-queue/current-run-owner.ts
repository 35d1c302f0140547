import { readFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { currentBootId, currentPidNamespace } from '../../process/registry/process-start-time.js';
import { hostIdentity } from '../../process/registry/record-process.js';
import type { RunOwner } from '../../store/runs/run-lease.js';

/**
 * This process as the owner of a run: the host identity the process registry records CLIs
 * with (pid and `/proc` start time, boot id, pid namespace), the machine's hostname and its
 * `/etc/machine-id` (read once).
 * @internal
 */
export function currentRunOwner(): RunOwner {
  return {
    pid: process.pid,
    startTime: hostIdentity()?.startTime,
    bootId: currentBootId(),
    pidNamespace: currentPidNamespace(),
    hostname: hostname(),
    machineId: currentMachineId(),
  };
}

let machineId: string | null | undefined;

/** systemd's (or D-Bus's) id of this machine, when it has one. */
function currentMachineId(): string | undefined {
  if (machineId === undefined) {
    machineId = null;
    for (const file of ['/etc/machine-id', '/var/lib/dbus/machine-id']) {
      try {
        machineId = readFileSync(file, 'latin1').trim() || null;
      } catch {
        continue;
      }
      if (machineId) break;
    }
  }
  return machineId ?? undefined;
}
