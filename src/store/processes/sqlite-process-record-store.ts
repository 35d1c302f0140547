import type { Database } from 'better-sqlite3';
import type { ProcessRecord } from './process-record.js';
import type { ProcessRecordStore } from './process-record-store.js';

interface Row {
  pid: number;
  start_time: number;
  marker: string | null;
  host_pid: number;
  host_start_time: number;
  boot_id: string | null;
  pid_ns: string | null;
  recorded_at: number;
}

const COLUMNS = 'pid, start_time, marker, host_pid, host_start_time, boot_id, pid_ns, recorded_at';

/**
 * A {@link ProcessRecordStore} on the `processes` table: each call commits before it returns,
 * so a host SIGKILLed right after the spawn has its CLI on file.
 */
export function sqliteProcessRecordStore(db: Database): ProcessRecordStore {
  const insert = db.prepare<
    [number, number, string | null, number, number, string | null, string | null, number]
  >(`INSERT OR REPLACE INTO processes (${COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?, ?)`);
  const remove = db.prepare<[number, number]>(
    'DELETE FROM processes WHERE pid = ? AND start_time = ?',
  );
  const byHost = db.prepare<[number, number], Row>(
    `SELECT ${COLUMNS} FROM processes WHERE host_pid = ? AND host_start_time = ? ` +
      'ORDER BY recorded_at, rowid',
  );
  const all = db.prepare<[], Row>(`SELECT ${COLUMNS} FROM processes ORDER BY recorded_at, rowid`);
  return {
    kind: 'sqlite',
    record: async (r) => {
      insert.run(
        r.pid,
        r.startTime,
        r.marker ?? null,
        r.hostPid,
        r.hostStartTime,
        r.bootId ?? null,
        r.pidNamespace ?? null,
        r.recordedAt,
      );
    },
    remove: async (pid, startTime) => {
      remove.run(pid, startTime);
    },
    listByHost: async (hostPid, hostStartTime) => byHost.all(hostPid, hostStartTime).map(fromRow),
    list: async () => all.all().map(fromRow),
  };
}

function fromRow(row: Row): ProcessRecord {
  return {
    pid: row.pid,
    startTime: row.start_time,
    ...(row.marker === null ? {} : { marker: row.marker }),
    hostPid: row.host_pid,
    hostStartTime: row.host_start_time,
    ...(row.boot_id === null ? {} : { bootId: row.boot_id }),
    ...(row.pid_ns === null ? {} : { pidNamespace: row.pid_ns }),
    recordedAt: row.recorded_at,
  };
}
