import {
  chmodSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  rmSync,
  symlinkSync,
  utimesSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createMemoryStore } from '../../../src/store/create-memory-store.js';
import { StoreError } from '../../../src/store/errors/store-error.js';
import { openSqliteStore } from '../../../src/store/open-sqlite-store.js';
import { defaultProcessRecordDir } from '../../../src/store/processes/default-process-record-dir.js';
import { createFileProcessRecordStore } from '../../../src/store/processes/file-process-record-store.js';
import type { ProcessRecord } from '../../../src/store/processes/process-record.js';
import type { ProcessRecordStore } from '../../../src/store/processes/process-record-store.js';

let dir: string;
const closers: Array<() => Promise<void>> = [];
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'ca-procs-'));
});
afterEach(async () => {
  for (const close of closers.splice(0)) await close();
  rmSync(dir, { recursive: true, force: true });
});

function rec(pid: number, startTime: number, host: [number, number], at: number): ProcessRecord {
  return {
    pid,
    startTime,
    marker: `${pid.toString(16)}-00ff`,
    hostPid: host[0],
    hostStartTime: host[1],
    bootId: 'boot-1',
    pidNamespace: 'pid:[4026531836]',
    recordedAt: at,
  };
}

describe.each([
  ['memory', () => createMemoryStore().processes],
  [
    'sqlite',
    () => {
      const store = openSqliteStore(join(dir, 'store.db'));
      closers.push(() => store.close());
      return store.processes;
    },
  ],
  ['files', () => createFileProcessRecordStore({ dir: join(dir, 'processes') })],
] as const)('%s process records', (kind, open) => {
  it('records, lists by host and in all, oldest first, and removes by pid and start time', async () => {
    const store: ProcessRecordStore = open();
    expect(store.kind).toBe(kind);
    const a = rec(100, 5000, [10, 1], 3);
    const b = rec(101, 5001, [10, 1], 1);
    const c = rec(100, 7000, [20, 2], 2);
    await store.record(a);
    await store.record(b);
    await store.record(c);
    expect(await store.list()).toEqual([b, c, a]);
    expect(await store.listByHost(10, 1)).toEqual([b, a]);
    // Same host pid, another start time: another host.
    expect(await store.listByHost(10, 2)).toEqual([]);
    await store.remove(100, 5000);
    await store.remove(100, 1);
    await store.remove(999, 999);
    expect(await store.list()).toEqual([b, c]);
  });

  it('keeps a record without marker or boot id as it was', async () => {
    const store = open();
    const bare: ProcessRecord = {
      pid: 7,
      startTime: 0,
      hostPid: 8,
      hostStartTime: 9,
      recordedAt: 1,
    };
    await store.record(bare);
    await store.record(bare);
    expect(await store.list()).toEqual([bare]);
  });
});

describe('openSqliteStore processes', () => {
  it('keeps records across opens of the file', async () => {
    const path = join(dir, 'store.db');
    const first = openSqliteStore(path);
    await first.processes.record(rec(1, 2, [3, 4], 5));
    await first.close();
    const second = openSqliteStore(path);
    closers.push(() => second.close());
    expect(await second.processes.list()).toEqual([rec(1, 2, [3, 4], 5)]);
  });
});

describe('createFileProcessRecordStore', () => {
  it('writes one private file per CLI, and nothing else is left behind', async () => {
    const folder = join(dir, 'processes');
    const store = createFileProcessRecordStore({ dir: folder });
    await store.record(rec(100, 5000, [10, 1], 3));
    expect(readdirSync(folder)).toEqual(['100-5000.json']);
    const { statSync } = await import('node:fs');
    expect(statSync(folder).mode & 0o777).toBe(0o700);
    expect(statSync(join(folder, '100-5000.json')).mode & 0o777).toBe(0o600);
    await store.remove(100, 5000);
    expect(readdirSync(folder)).toEqual([]);
  });

  it('drops unreadable records and stale temporary files, keeps a fresh one being written', async () => {
    const folder = join(dir, 'processes');
    const store = createFileProcessRecordStore({ dir: folder });
    await store.record(rec(1, 2, [3, 4], 5));
    writeFileSync(join(folder, '9-9.json'), '{"pid":');
    writeFileSync(join(folder, '8-8.json'), JSON.stringify({ pid: 'eight' }));
    // A newer version's record, with a field this one does not know: read, not dropped.
    writeFileSync(join(folder, '5-5.json'), JSON.stringify({ ...rec(5, 5, [3, 4], 6), extra: 1 }));
    writeFileSync(join(folder, '7-7.json.abcd.tmp'), '{');
    writeFileSync(join(folder, '6-6.json.abcd.tmp'), '{');
    const old = new Date(Date.now() - 120_000);
    utimesSync(join(folder, '7-7.json.abcd.tmp'), old, old);
    writeFileSync(join(folder, 'notes.txt'), 'not ours');
    expect(await store.list()).toEqual([rec(1, 2, [3, 4], 5), rec(5, 5, [3, 4], 6)]);
    expect(readdirSync(folder).sort()).toEqual([
      '1-2.json',
      '5-5.json',
      '6-6.json.abcd.tmp',
      'notes.txt',
    ]);
  });

  it('refuses a folder others can write to, naming it', async () => {
    const folder = join(dir, 'open');
    mkdirSync(folder);
    chmodSync(folder, 0o777);
    const store = createFileProcessRecordStore({ dir: folder });
    await expect(store.record(rec(1, 2, [3, 4], 5))).rejects.toThrow(StoreError);
    await expect(store.list()).rejects.toThrow(
      `The process registry folder ${folder} is writable by others (mode 777)`,
    );
  });

  it('refuses a symbolic link in place of the folder', async () => {
    const target = join(dir, 'elsewhere');
    mkdirSync(target, { mode: 0o700 });
    const link = join(dir, 'link');
    symlinkSync(target, link);
    const store = createFileProcessRecordStore({ dir: link });
    await expect(store.list()).rejects.toThrow(/is not a folder \(a symbolic link\?\)/);
  });

  it('says why it cannot create its folder', async () => {
    const blocker = join(dir, 'file');
    writeFileSync(blocker, '');
    const store = createFileProcessRecordStore({ dir: join(blocker, 'processes') });
    await expect(store.list()).rejects.toThrow(
      `Cannot create the process registry folder ${join(blocker, 'processes')}`,
    );
  });
});

describe('defaultProcessRecordDir', () => {
  it('is under XDG_STATE_HOME when set, else a per-user temporary folder', () => {
    expect(defaultProcessRecordDir({ XDG_STATE_HOME: '/home/u/.local/state' })).toBe(
      '/home/u/.local/state/claude-actors/processes',
    );
    expect(defaultProcessRecordDir({ XDG_STATE_HOME: 'relative' })).toBe(
      join(tmpdir(), `claude-actors-${process.getuid?.()}`, 'processes'),
    );
    expect(defaultProcessRecordDir({})).toBe(
      join(tmpdir(), `claude-actors-${process.getuid?.()}`, 'processes'),
    );
  });
});
