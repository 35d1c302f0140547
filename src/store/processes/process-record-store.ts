import type { ProcessRecord } from './process-record.js';

/**
 * Where a host records the CLI processes it starts, so that a later host can reap them when
 * this one dies without cleaning up (SIGKILL of the host and of its watchdog). Three backends:
 * the store's (`store.processes`, SQLite), a directory of small JSON files (the default, no
 * SQLite needed: {@link createFileProcessRecordStore}) and one in memory (tests).
 */
export interface ProcessRecordStore {
  /** `sqlite`, `files`, `memory`, or a third-party backend's name. */
  readonly kind: string;
  /** Records a CLI (replacing a record with the same pid and start time). */
  record(record: ProcessRecord): Promise<void>;
  /** Removes the record of the CLI `pid` started at `startTime`; nothing when absent. */
  remove(pid: number, startTime: number): Promise<void>;
  /** The records of the host `hostPid` started at `hostStartTime`, oldest first. */
  listByHost(hostPid: number, hostStartTime: number): Promise<ProcessRecord[]>;
  /** Every record, oldest first. */
  list(): Promise<ProcessRecord[]>;
}
