import type { Logger } from '../../core/logging/create-logger.js';
import type { ProcessRecord } from '../../store/processes/process-record.js';
import type { ProcessRecordStore } from '../../store/processes/process-record-store.js';
import { currentBootId, currentPidNamespace, processStartTime } from './process-start-time.js';
import {
  canScanProcesses,
  findProcessTree,
  killProcessTree,
  markersInUse,
} from './process-tree.js';

/** Options of {@link reapOrphans}. */
export interface ReapOrphansOptions {
  /** Find and report, but kill nothing and keep every record. @defaultValue false */
  readonly dryRun?: boolean;
  /** Gets a `warn` line per CLI reaped and an `info` line per reap that found any. */
  readonly logger?: Logger | undefined;
}

/** One record of a dead host, and what became of it. */
export interface ReapedProcess {
  /** The CLI's pid. */
  readonly pid: number;
  /** The host that started it (dead). */
  readonly hostPid: number;
  /**
   * - `running`: the CLI still ran (same pid and start time): it was killed with its tree.
   * - `exited`: the CLI had ended; what it left behind (processes carrying its marker) was
   *   killed, if anything.
   * - `stale`: recorded in another boot: nothing of it can run.
   */
  readonly cli: 'running' | 'exited' | 'stale';
  /** The pids killed (with `dryRun`: that would be), the CLI first when it ran. */
  readonly killed: readonly number[];
}

/** What {@link reapOrphans} did. */
export interface ReapReport {
  /** Records read. */
  readonly records: number;
  /** Running hosts whose records were left alone. */
  readonly liveHosts: number;
  /**
   * Records of hosts in another pid namespace (another container sharing the registry), left
   * alone: their pids name other processes here.
   */
  readonly otherNamespaces: number;
  /** The records of dead hosts: killed (unless `dryRun`) and removed. */
  readonly reaped: readonly ReapedProcess[];
  /** Nothing was killed or removed. */
  readonly dryRun: boolean;
  /**
   * `false` where processes cannot be identified (no `/proc`), or the registry is off: nothing
   * was done.
   */
  readonly supported: boolean;
  /** Why nothing was done (`runtime.reaped` only: `reapOrphans` itself throws). */
  readonly error?: unknown;
}

/**
 * Reaps what dead hosts left: reads every record of `records`, leaves those of running hosts
 * alone (same host pid *and* start time: a host whose pid was reused is dead), and for each
 * other one kills the CLI if it still runs (same pid and start time, so never a process that
 * got the pid later) together with its whole tree and the tool processes that carry its
 * marker, in other groups and sessions too, then removes the record. A runtime calls it when
 * it starts (`runtime.reaped`); `claude-actors reap` runs it on demand.
 *
 * @throws when `records` cannot be read (its message says which store); a failed removal is
 *   logged, and retried by the next reap.
 * @example
 * ```ts
 * const report = await reapOrphans(createFileProcessRecordStore());
 * for (const cli of report.reaped) show(`${cli.pid}: ${cli.cli}, killed ${cli.killed.length}`);
 * ```
 */
export async function reapOrphans(
  records: ProcessRecordStore,
  options: ReapOrphansOptions = {},
): Promise<ReapReport> {
  const dryRun = options.dryRun ?? false;
  if (!canScanProcesses) {
    return { records: 0, liveHosts: 0, otherNamespaces: 0, reaped: [], dryRun, supported: false };
  }
  const all = await records.list();
  const boot = currentBootId();
  const namespace = currentPidNamespace();
  let otherNamespaces = 0;
  const hosts = new Map<string, boolean>();
  const reaped: ReapedProcess[] = [];
  // One scan of /proc for every marker, on the first dead host's record, rather than one each.
  let markers: Set<string> | undefined;
  const inUse = (marker: string): boolean => {
    markers ??= markersInUse();
    return markers.has(marker);
  };
  for (const record of all) {
    if (
      record.pidNamespace !== undefined &&
      namespace !== undefined &&
      record.pidNamespace !== namespace
    ) {
      otherNamespaces += 1;
      continue;
    }
    const hostKey = `${record.hostPid}:${record.hostStartTime}:${record.bootId ?? ''}`;
    let alive = hosts.get(hostKey);
    if (alive === undefined) {
      alive = sameBoot(record, boot) && processStartTime(record.hostPid) === record.hostStartTime;
      hosts.set(hostKey, alive);
    }
    if (alive) continue;
    const outcome = reap(record, boot, dryRun, inUse);
    reaped.push(outcome);
    if (!dryRun) {
      try {
        await records.remove(record.pid, record.startTime);
      } catch (error) {
        options.logger?.warn({ err: error, pid: record.pid }, 'cannot remove a process record');
      }
    }
    if (outcome.killed.length > 0) {
      options.logger?.warn(
        { pid: outcome.pid, hostPid: outcome.hostPid, cli: outcome.cli, killed: outcome.killed },
        dryRun ? 'would reap an orphaned CLI' : 'reaped an orphaned CLI',
      );
    }
  }
  const liveHosts = [...hosts.values()].filter(Boolean).length;
  const report = {
    records: all.length,
    liveHosts,
    otherNamespaces,
    reaped,
    dryRun,
    supported: true,
  };
  if (reaped.length > 0) {
    options.logger?.info(
      {
        kind: records.kind,
        records: all.length,
        liveHosts,
        reaped: reaped.length,
        killed: reaped.reduce((n, r) => n + r.killed.length, 0),
        dryRun,
      },
      'process records of dead hosts reaped',
    );
  }
  return report;
}

function sameBoot(record: ProcessRecord, boot: string | undefined): boolean {
  return record.bootId === undefined || boot === undefined || record.bootId === boot;
}

function reap(
  record: ProcessRecord,
  boot: string | undefined,
  dryRun: boolean,
  inUse: (marker: string) => boolean,
): ReapedProcess {
  const base = { pid: record.pid, hostPid: record.hostPid };
  if (!sameBoot(record, boot)) return { ...base, cli: 'stale', killed: [] };
  const running = processStartTime(record.pid) === record.startTime;
  // Exited, and no process carries its marker: it left nothing (the common case).
  if (!running && (record.marker === undefined || !inUse(record.marker))) {
    return { ...base, cli: 'exited', killed: [] };
  }
  if (dryRun) {
    const found = findProcessTree(record.pid, record.marker, { rootExited: !running });
    return { ...base, cli: running ? 'running' : 'exited', killed: rootFirst(record.pid, found) };
  }
  if (running) {
    const rest = killProcessTree(record.pid, record.marker, 'SIGKILL');
    return { ...base, cli: 'running', killed: [record.pid, ...rest] };
  }
  // The pid may be a stranger's now: only what carries the marker (and its own trees) dies.
  const killed = killProcessTree(record.pid, record.marker, 'SIGKILL', {
    rootExited: true,
    scanOnly: true,
  });
  return { ...base, cli: 'exited', killed };
}

function rootFirst(pid: number, pids: readonly number[]): number[] {
  return pids.includes(pid) ? [pid, ...pids.filter((p) => p !== pid)] : [...pids];
}
