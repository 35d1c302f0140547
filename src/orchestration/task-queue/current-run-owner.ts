import { hostname } from 'node:os';
import { currentBootId, currentPidNamespace } from '../../process/registry/process-start-time.js';
import { hostIdentity } from '../../process/registry/record-process.js';
import type { RunOwner } from '../../store/runs/run-lease.js';

/**
 * This process as the owner of a run: the host identity the process registry records CLIs
 * with (pid and `/proc` start time, boot id, pid namespace), and the machine's hostname.
 * @internal
 */
export function currentRunOwner(): RunOwner {
  return {
    pid: process.pid,
    startTime: hostIdentity()?.startTime,
    bootId: currentBootId(),
    pidNamespace: currentPidNamespace(),
    hostname: hostname(),
  };
}
