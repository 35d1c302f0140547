import { parseOlderThan } from './session-cleanup-options.js';
import { parseSessionFilter, type ResolvedSessionFilter } from './session-filter.js';
import type { SessionRecord } from './session-record.js';
import { normalizeSessionRecord } from './session-record-schema.js';
import type { SessionStore } from './session-store.js';

function matches(record: SessionRecord, filter: ResolvedSessionFilter, search?: string): boolean {
  return (
    (filter.tag === undefined || record.tags.includes(filter.tag)) &&
    (filter.kind === undefined || record.kind === filter.kind) &&
    (filter.status === undefined || record.status === filter.status) &&
    (filter.since === undefined || record.createdAt >= filter.since) &&
    (filter.until === undefined || record.createdAt < filter.until) &&
    (filter.minCostUsd === undefined || record.costUsd >= filter.minCostUsd) &&
    (filter.maxCostUsd === undefined || record.costUsd <= filter.maxCostUsd) &&
    (search === undefined || record.firstPrompt.toLowerCase().includes(search))
  );
}

/** Orders as the SQLite store does: by the field, then by id (ascending) on ties. */
function comparator(filter: ResolvedSessionFilter): (a: SessionRecord, b: SessionRecord) => number {
  const sign = filter.order === 'asc' ? 1 : -1;
  return (a, b) => {
    const by = a[filter.orderBy] - b[filter.orderBy];
    if (by !== 0) return sign * by;
    return a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
  };
}

/** A {@link SessionStore} in a map, with the SQLite store's behaviour (records copied in and out). */
export function memorySessionStore(): SessionStore {
  const records = new Map<string, SessionRecord>();
  const copy = (record: SessionRecord): SessionRecord => structuredClone(record);
  return {
    put: async (record) => {
      const stored = normalizeSessionRecord(record);
      records.set(stored.id, stored);
    },
    get: async (id) => {
      const record = records.get(id);
      return record && copy(record);
    },
    list: async (input) => {
      const filter = parseSessionFilter(input);
      const search = filter.search?.toLowerCase();
      const found = [...records.values()]
        .filter((record) => matches(record, filter, search))
        .sort(comparator(filter));
      return {
        sessions: found.slice(filter.offset, filter.offset + filter.limit).map(copy),
        total: found.length,
      };
    },
    delete: async (id) => records.delete(id),
    cleanup: async (options) => {
      const olderThan = parseOlderThan(options);
      let removed = 0;
      for (const [id, record] of records) {
        if (record.updatedAt < olderThan && records.delete(id)) removed++;
      }
      return removed;
    },
  };
}
