import { existsSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createMemoryStore } from '../../src/store/create-memory-store.js';
import { StoreError } from '../../src/store/errors/store-error.js';
import { openSqliteStore } from '../../src/store/open-sqlite-store.js';
import { loadSqliteDriver } from '../../src/store/sqlite/load-sqlite-driver.js';
import { migrate } from '../../src/store/sqlite/migrate.js';
import { SQLITE_MIGRATIONS } from '../../src/store/sqlite/sqlite-migrations.js';
import type { Store } from '../../src/store/store.js';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'ca-store-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

describe.each([
  ['sqlite', () => openSqliteStore(join(dir, 'nested', 'store.db'))],
  ['memory', () => createMemoryStore()],
] as const)('%s state store', (_kind, open) => {
  it('stores, lists by prefix, replaces and deletes JSON values', async () => {
    const store: Store = open();
    await store.state.set('budget:default', { spentUsd: 1.5 });
    await store.state.set('limiter:default', { pausedUntil: 42 });
    await store.state.set('limiter:other', { pausedUntil: 7 });
    await store.state.set('budget:default', { spentUsd: 2 });
    expect(await store.state.get('budget:default')).toEqual({ spentUsd: 2 });
    expect(await store.state.get('missing')).toBeUndefined();
    expect(await store.state.list('limiter:')).toEqual([
      { key: 'limiter:default', value: { pausedUntil: 42 } },
      { key: 'limiter:other', value: { pausedUntil: 7 } },
    ]);
    await store.state.delete('limiter:other');
    await store.state.delete('never-there');
    expect((await store.state.list('limiter:')).map((e) => e.key)).toEqual(['limiter:default']);
    await store.close();
    await store.close();
  });
});

describe('openSqliteStore', () => {
  it('keeps values across opens, in WAL mode, migrated once', async () => {
    const path = join(dir, 'store.db');
    const first = openSqliteStore(path);
    await first.state.set('k', [1, 'two']);
    await first.close();
    const second = openSqliteStore(path);
    expect(second.location).toBe(path);
    expect(await second.state.get('k')).toEqual([1, 'two']);
    await second.close();
    const db = new (loadSqliteDriver())(path);
    expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
    const versions = db.prepare('SELECT version, name FROM schema_migrations').all();
    expect(versions).toEqual(SQLITE_MIGRATIONS.map((m) => ({ version: m.version, name: m.name })));
    db.close();
  });

  it('lets the WAL grow past the default 1,000 pages before a checkpoint, removed on close', async () => {
    const path = join(dir, 'store.db');
    const store = openSqliteStore(path);
    const page = 'x'.repeat(4096);
    // ~1,500 commits of a page or more each: past the default checkpoint, short of ours.
    for (let i = 0; i < 1_500; i++) await store.state.set(`k${i}`, page);
    expect(statSync(`${path}-wal`).size).toBeGreaterThan(1_400 * 4096);
    await store.close();
    expect(existsSync(`${path}-wal`)).toBe(false);
  });

  it('refuses a file written by a newer schema, naming the versions', () => {
    const path = join(dir, 'store.db');
    openSqliteStore(path).close();
    const db = new (loadSqliteDriver())(path);
    db.prepare('INSERT INTO schema_migrations VALUES (?, ?, ?)').run(999, 'future', 0);
    db.close();
    expect(() => openSqliteStore(path)).toThrow(StoreError);
    expect(() => openSqliteStore(path)).toThrow(/schema version 999, newer .* knows \(\d+\)/);
  });

  it('refuses a file that is not a SQLite database and leaves it as it was', () => {
    const path = join(dir, 'notes.txt');
    writeFileSync(
      path,
      'not a database, just text that is long enough to have a header\n'.repeat(20),
    );
    const before = readFileSync(path);
    let error: unknown;
    try {
      openSqliteStore(path);
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(StoreError);
    expect(error).toMatchObject({ code: 'STORE_FAILED', location: path });
    expect((error as Error).message).toMatch(/Cannot open the store .*notes\.txt/);
    expect(readFileSync(path)).toEqual(before);
  });

  it('refuses a file whose recorded steps are other migrations of the same numbers', () => {
    const db = new (loadSqliteDriver())(':memory:');
    migrate(db, [{ version: 1, name: 'one', up: () => {} }]);
    expect(() => migrate(db, [{ version: 1, name: 'uno', up: () => {} }])).toThrow(
      /schema step 1 `one` where this version of claude-actors has `uno`/,
    );
    db.close();
  });

  it('refuses a migration list that is not numbered 1, 2, 3', () => {
    const db = new (loadSqliteDriver())(':memory:');
    expect(() => migrate(db, [{ version: 2, name: 'gap', up: () => {} }])).toThrow(
      /`gap` has version 2, expected 1/,
    );
    db.close();
  });

  it('rolls back a migration that fails and keeps the version before it', () => {
    const db = new (loadSqliteDriver())(':memory:');
    const ok = { version: 1, name: 'one', up: (d: typeof db) => d.exec('CREATE TABLE a (x)') };
    const bad = {
      version: 2,
      name: 'two',
      up: (d: typeof db) => {
        d.exec('CREATE TABLE b (x)');
        throw new Error('boom');
      },
    };
    expect(() => migrate(db, [ok, bad])).toThrow('boom');
    expect(migrate(db, [ok])).toEqual({ from: 1, to: 1, applied: [] });
    const tables = db.prepare("SELECT name FROM sqlite_master WHERE type = 'table'").pluck().all();
    expect(tables).toContain('a');
    expect(tables).not.toContain('b');
    db.close();
  });
});
