import { readFileSync, readlinkSync } from 'node:fs';

/**
 * The start time of process `pid`: field 22 of `/proc/<pid>/stat`, in clock ticks after boot.
 * With the pid it names one process for the whole boot (a reused pid has a later start time).
 * `undefined` when the process does not exist, is a zombie (it has ended: only its exit status
 * is left), or `/proc` is not there (not Linux).
 */
export function processStartTime(pid: number): number | undefined {
  if (!Number.isInteger(pid) || pid <= 0) return undefined;
  let stat: string;
  try {
    stat = readFileSync(`/proc/${pid}/stat`, 'latin1');
  } catch {
    return undefined;
  }
  // `pid (comm) state ppid ...`: comm may hold spaces and parentheses, so count from its end;
  // after it, field 3 (state) is index 0 and field 22 (starttime) index 19.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  if (fields[0] === 'Z' || fields[0] === 'X') return undefined;
  const start = Number(fields[19]);
  return Number.isSafeInteger(start) && start >= 0 ? start : undefined;
}

let pidNamespace: string | null | undefined;

/** This process's pid namespace (`/proc/self/ns/pid`), when it can be read. */
export function currentPidNamespace(): string | undefined {
  if (pidNamespace === undefined) {
    try {
      pidNamespace = readlinkSync('/proc/self/ns/pid') || null;
    } catch {
      pidNamespace = null;
    }
  }
  return pidNamespace ?? undefined;
}

let bootId: string | null | undefined;

/** The kernel's id of this boot (`/proc/sys/kernel/random/boot_id`), when there is one. */
export function currentBootId(): string | undefined {
  if (bootId === undefined) {
    try {
      bootId = readFileSync('/proc/sys/kernel/random/boot_id', 'latin1').trim() || null;
    } catch {
      bootId = null;
    }
  }
  return bootId ?? undefined;
}
