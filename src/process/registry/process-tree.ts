import { randomBytes } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';

/**
 * The environment variable that tags a CLI and, by inheritance, every process it starts. The
 * Bash tool runs its commands in a new session and a backgrounded command is re-parented to init
 * as soon as its shell exits, so neither the CLI's process group nor its ppid tree finds every
 * tool process; the inherited environment does.
 */
export const PROCESS_MARKER_VAR = 'CLAUDE_ACTORS_PROC';

/** A fresh marker value: shell-safe (`[0-9a-f-]`), unique per CLI process. */
export function newProcessMarker(): string {
  return `${process.pid.toString(16)}-${randomBytes(8).toString('hex')}`;
}

interface ProcStat {
  readonly pid: number;
  readonly ppid: number;
  readonly pgid: number;
  readonly sid: number;
}

/** Whether descendants can be found through `/proc` (Linux); elsewhere only the group is killed. */
export const canScanProcesses: boolean = (() => {
  if (process.platform !== 'linux') return false;
  try {
    readFileSync('/proc/self/stat', 'utf8');
    return true;
  } catch {
    return false;
  }
})();

function readStat(pid: number): ProcStat | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'latin1');
    // `pid (comm) state ppid pgrp session ...`; comm may hold spaces and parentheses.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    if (fields[0] === 'Z') return undefined;
    return { pid, ppid: Number(fields[1]), pgid: Number(fields[2]), sid: Number(fields[3]) };
  } catch {
    return undefined;
  }
}

function hasMarker(pid: number, needle: Buffer): boolean {
  try {
    return readFileSync(`/proc/${pid}/environ`).includes(needle);
  } catch {
    // Gone, or another user's process (not ours to kill anyway).
    return false;
  }
}

/**
 * Every live process that belongs to the CLI `rootPid`: the CLI itself, its descendants by ppid,
 * every process in a group or session led by one of them, and every process whose environment
 * carries `marker` (which finds tool processes that left the tree and the group). Synchronous so
 * that it can run in an `exit` handler. Linux only: returns `[]` where `/proc` is unavailable.
 * With `rootExited` the pid itself is not a seed (it may have been reused): only the marker is.
 */
export function findProcessTree(
  rootPid: number,
  marker: string | undefined,
  options: { readonly rootExited?: boolean } = {},
): number[] {
  if (!canScanProcesses) return [];
  let entries: string[];
  try {
    entries = readdirSync('/proc');
  } catch {
    return [];
  }
  const needle =
    marker === undefined ? undefined : Buffer.from(`${PROCESS_MARKER_VAR}=${marker}\0`);
  const stats: ProcStat[] = [];
  const found = new Set<number>();
  for (const entry of entries) {
    const pid = Number(entry);
    if (!Number.isInteger(pid) || pid <= 0 || pid === process.pid) continue;
    const stat = readStat(pid);
    if (!stat) continue;
    stats.push(stat);
    if ((pid === rootPid && !options.rootExited) || (needle && hasMarker(pid, needle)))
      found.add(pid);
  }
  // Close over ppid links and over groups / sessions led by a member, until nothing is added.
  let grew = true;
  while (grew) {
    grew = false;
    for (const stat of stats) {
      if (found.has(stat.pid)) continue;
      if (found.has(stat.ppid) || found.has(stat.pgid) || found.has(stat.sid)) {
        found.add(stat.pid);
        grew = true;
      }
    }
  }
  return [...found];
}

/**
 * The `CLAUDE_ACTORS_PROC` markers that live processes carry, in one scan of `/proc`: lets the
 * reaper skip the per-CLI scan of {@link findProcessTree} for a CLI that left nothing behind.
 * Empty where `/proc` is unavailable.
 */
export function markersInUse(): Set<string> {
  const markers = new Set<string>();
  if (!canScanProcesses) return markers;
  const needle = Buffer.from(`\0${PROCESS_MARKER_VAR}=`);
  let entries: string[];
  try {
    entries = readdirSync('/proc');
  } catch {
    return markers;
  }
  for (const entry of entries) {
    if (!/^\d+$/.test(entry)) continue;
    let environ: Buffer;
    try {
      // A leading NUL, so that the first variable matches like the others.
      environ = Buffer.concat([Buffer.from('\0'), readFileSync(`/proc/${entry}/environ`)]);
    } catch {
      continue;
    }
    const at = environ.indexOf(needle);
    if (at < 0) continue;
    const start = at + needle.length;
    const end = environ.indexOf(0, start);
    markers.add(environ.toString('latin1', start, end < 0 ? environ.length : end));
  }
  return markers;
}

function signal(target: number, sig: NodeJS.Signals): boolean {
  try {
    process.kill(target, sig);
    return true;
  } catch {
    return false;
  }
}

/**
 * Signals the CLI `rootPid` and everything it started: its process group, then every process
 * {@link findProcessTree} finds (repeated while new ones turn up, so that a process forking while
 * it is being killed does not slip through). SIGKILL stops every process first and kills them
 * once none is left to find. Never throws. Returns the pids signalled besides the
 * group, for diagnostics.
 */
export function killProcessTree(
  rootPid: number,
  marker: string | undefined,
  sig: NodeJS.Signals,
  options: {
    readonly rootExited?: boolean;
    /**
     * Never signal `rootPid` or its group directly, only what the scan finds: for a CLI that
     * exited long ago, whose pid may belong to a stranger now (the reaper).
     */
    readonly scanOnly?: boolean;
  } = {},
): number[] {
  const direct = !options.scanOnly;
  if (process.platform === 'win32') {
    if (direct) signal(rootPid, sig);
    return [];
  }
  // Stop first when killing outright: a stopped process cannot fork a new one between scans.
  const freeze = sig === 'SIGKILL';
  const signalled = new Set<number>();
  if (direct && !signal(-rootPid, freeze ? 'SIGSTOP' : sig)) {
    signal(rootPid, freeze ? 'SIGSTOP' : sig);
  }
  for (let pass = 0; pass < 5; pass++) {
    const fresh = findProcessTree(rootPid, marker, options).filter((pid) => !signalled.has(pid));
    if (fresh.length === 0) break;
    for (const pid of fresh) {
      signalled.add(pid);
      signal(pid, freeze ? 'SIGSTOP' : sig);
    }
  }
  if (freeze) {
    if (direct && !signal(-rootPid, 'SIGKILL')) signal(rootPid, 'SIGKILL');
    for (const pid of signalled) signal(pid, 'SIGKILL');
  }
  signalled.delete(rootPid);
  return [...signalled];
}
