import type { ProcessRecord } from './process-record.js';
import type { ProcessRecordStore } from './process-record-store.js';

/**
 * A {@link ProcessRecordStore} in a map, gone with the process (tests).
 *
 * @example
 * ```ts
 * const records = createMemoryProcessRecordStore();
 * const runtime = createRuntime({ processes: { registry: records } });
 * ```
 */
export function createMemoryProcessRecordStore(): ProcessRecordStore {
  const records = new Map<string, ProcessRecord>();
  const all = (): ProcessRecord[] =>
    [...records.values()]
      .sort((a, b) => a.recordedAt - b.recordedAt)
      .map((record) => ({ ...record }));
  return {
    kind: 'memory',
    record: async (record) => {
      records.set(`${record.pid}:${record.startTime}`, { ...record });
    },
    remove: async (pid, startTime) => {
      records.delete(`${pid}:${startTime}`);
    },
    listByHost: async (hostPid, hostStartTime) =>
      all().filter((r) => r.hostPid === hostPid && r.hostStartTime === hostStartTime),
    list: async () => all(),
  };
}
