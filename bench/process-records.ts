/**
 * Cost of the durable process registry (run on demand: `npx tsx bench/process-records.ts`).
 *
 * 1. Per spawn: µs to record a CLI (read its start time, write the record) and to remove the
 *    record at its exit, for each backend: the default folder of JSON files, SQLite, memory.
 * 2. Per runtime start: ms for `reapOrphans` with nothing to reap (N records of a live host), and
 *    with N records of dead hosts whose CLIs have exited (each one scans /proc for its marker).
 */
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { reapOrphans } from '../src/process/registry/reap-orphans.js';
import {
  flushProcessRecords,
  hostIdentity,
  recordProcess,
} from '../src/process/registry/record-process.js';
import { openSqliteStore } from '../src/store/open-sqlite-store.js';
import { createFileProcessRecordStore } from '../src/store/processes/file-process-record-store.js';
import { createMemoryProcessRecordStore } from '../src/store/processes/memory-process-record-store.js';
import type { ProcessRecordStore } from '../src/store/processes/process-record-store.js';

const dir = mkdtempSync(join(tmpdir(), 'ca-bench-records-'));
const sqlite = openSqliteStore(join(dir, 'store.db'));
const backends: Array<[string, ProcessRecordStore]> = [
  ['files', createFileProcessRecordStore({ dir: join(dir, 'processes') })],
  ['sqlite', sqlite.processes],
  ['memory', createMemoryProcessRecordStore()],
];

async function perSpawn(records: ProcessRecordStore, n: number): Promise<[number, number]> {
  // The host stands in for the CLI: what is measured is the read of /proc and the write, which
  // both built-in backends do synchronously inside the call.
  const recordUs: number[] = [];
  const removeUs: number[] = [];
  for (let i = 0; i < n; i++) {
    const t0 = performance.now();
    const unrecord = recordProcess({ records }, process.pid, `bench-${i}`);
    const t1 = performance.now();
    if (!unrecord) throw new Error('no /proc: nothing to measure');
    await flushProcessRecords();
    const t2 = performance.now();
    unrecord();
    const t3 = performance.now();
    await flushProcessRecords();
    recordUs.push((t1 - t0) * 1000);
    removeUs.push((t3 - t2) * 1000);
  }
  return [median(recordUs), median(removeUs)];
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? Number.NaN;
}

async function reapCost(records: ProcessRecordStore, n: number, dead: boolean): Promise<number> {
  const self = hostIdentity()!;
  for (let i = 0; i < n; i++) {
    await records.record({
      pid: 4_194_305 + i,
      startTime: i,
      marker: `beef-${i}`,
      hostPid: self.pid,
      hostStartTime: dead ? self.startTime + 1 : self.startTime,
      recordedAt: i,
    });
  }
  const start = performance.now();
  const report = await reapOrphans(records);
  const ms = performance.now() - start;
  if (report.reaped.length !== (dead ? n : 0)) throw new Error('unexpected reap');
  for (const record of await records.list()) await records.remove(record.pid, record.startTime);
  return ms;
}

const rows: string[] = [];
for (const [name, records] of backends) {
  await perSpawn(records, 200);
  const [record, remove] = await perSpawn(records, 2000);
  rows.push(
    `${name.padEnd(7)} record ${record.toFixed(1).padStart(6)} µs  remove ${remove.toFixed(1).padStart(6)} µs`,
  );
}
const processes = readdirSync('/proc').filter((e) => /^\d+$/.test(e)).length;
const reapRows: string[] = [];
for (const [name, records] of backends) {
  const live = await reapCost(records, 50, false);
  const dead = await reapCost(records, 50, true);
  reapRows.push(
    `${name.padEnd(7)} 50 live-host records ${live.toFixed(1).padStart(6)} ms  ` +
      `50 dead-host records, CLIs exited ${dead.toFixed(1).padStart(6)} ms`,
  );
}
await sqlite.close();
rmSync(dir, { recursive: true, force: true });
process.stdout.write(
  `Per spawn (one record written at the spawn, removed at the exit):\n${rows.join('\n')}\n\n` +
    `reapOrphans at runtime start (${processes} processes on this machine):\n${reapRows.join('\n')}\n`,
);
