import type { ProcessRecord } from '../../store/processes/process-record.js';
import type { ProcessRecordStore } from '../../store/processes/process-record-store.js';
import { currentBootId, currentPidNamespace, processStartTime } from './process-start-time.js';

/** Where a CLI is recorded, and who hears of a failed write. */
export interface ProcessRecording {
  readonly records: ProcessRecordStore;
  /** A write failed (full disk, closed store): the CLI runs on, unrecorded. */
  readonly onError?: ((error: unknown) => void) | undefined;
}

let host: { readonly pid: number; readonly startTime: number } | undefined;

/** This host's pid and start time, as records name it; `undefined` without `/proc`. */
export function hostIdentity(): { readonly pid: number; readonly startTime: number } | undefined {
  if (host) return host;
  const startTime = processStartTime(process.pid);
  if (startTime !== undefined) host = { pid: process.pid, startTime };
  return host;
}

const pending = new Set<Promise<void>>();

function track(
  write: Promise<void>,
  onError: ((error: unknown) => void) | undefined,
): Promise<void> {
  const settled = write.catch((error: unknown) => onError?.(error));
  pending.add(settled);
  void settled.finally(() => pending.delete(settled));
  return settled;
}

/**
 * Records the CLI `pid` (just spawned) with its start time and this host's identity. Returns
 * the function that removes the record once the CLI has exited, or `undefined` when the CLI
 * cannot be identified (it is already gone, or there is no `/proc`: nothing could be reaped
 * safely, so nothing is recorded). The write starts synchronously (both built-in backends
 * commit before their promise is returned), so a host SIGKILLed right after has it on file.
 */
export function recordProcess(
  recording: ProcessRecording,
  pid: number,
  marker: string | undefined,
): (() => void) | undefined {
  const self = hostIdentity();
  const startTime = processStartTime(pid);
  if (!self || startTime === undefined) return undefined;
  const record: ProcessRecord = {
    pid,
    startTime,
    ...(marker === undefined ? {} : { marker }),
    hostPid: self.pid,
    hostStartTime: self.startTime,
    ...(currentBootId() === undefined ? {} : { bootId: currentBootId() }),
    ...(currentPidNamespace() === undefined ? {} : { pidNamespace: currentPidNamespace() }),
    recordedAt: Date.now(),
  };
  let settled = false;
  const written = track(
    write(() => recording.records.record(record)),
    recording.onError,
  ).then(() => {
    settled = true;
  });
  let removed = false;
  return () => {
    if (removed) return;
    removed = true;
    const remove = (): Promise<void> => write(() => recording.records.remove(pid, startTime));
    // Called at once when the write has settled (always, but for a CLI that exits within a
    // microtask), so that the removal starts synchronously, even in an `exit` handler; else
    // after the write, which would otherwise put the record back.
    track(settled ? remove() : written.then(remove), recording.onError);
  };
}

/** Calls `fn`, turning a synchronous throw into a rejected promise. */
function write(fn: () => Promise<void>): Promise<void> {
  try {
    return fn();
  } catch (error) {
    return Promise.reject(error);
  }
}

/** Resolves once every record write and removal started so far has settled. */
export async function flushProcessRecords(): Promise<void> {
  while (pending.size > 0) await Promise.all([...pending]);
}
