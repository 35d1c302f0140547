import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { InvalidOptionsError } from '../../../src/core/validation/invalid-options-error.js';
import { createMemoryStore } from '../../../src/store/create-memory-store.js';
import { openSqliteStore } from '../../../src/store/open-sqlite-store.js';
import { FIRST_PROMPT_MAX_LENGTH } from '../../../src/store/sessions/session-record-schema.js';
import type { SessionStore } from '../../../src/store/sessions/session-store.js';
import type { Store } from '../../../src/store/store.js';
import { sessionRecord } from './session-record-fixture.js';

let dir: string;
let store: Store;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'ca-sessions-'));
});
afterEach(async () => {
  await store?.close();
  rmSync(dir, { recursive: true, force: true });
});

const day = (d: number): number => Date.UTC(2026, 11, d);

async function seed(sessions: SessionStore): Promise<void> {
  await sessions.put(
    sessionRecord({ id: 'a', tags: ['docs', 'nightly'], createdAt: day(1), updatedAt: day(1) }),
  );
  await sessions.put(
    sessionRecord({
      id: 'b',
      kind: 'session',
      tags: ['nightly'],
      createdAt: day(5),
      updatedAt: day(9),
      costUsd: 0.5,
      status: 'closed',
      firstPrompt: 'Refactor the PARSER module',
    }),
  );
  await sessions.put(
    sessionRecord({
      id: 'c',
      createdAt: day(10),
      updatedAt: day(10),
      costUsd: 0.2,
      status: 'failed',
      errorCode: 'API_ERROR',
      firstPrompt: 'Write tests for the parser',
    }),
  );
}

describe.each([
  ['sqlite', () => openSqliteStore(join(dir, 'store.db'))],
  ['memory', () => createMemoryStore()],
] as const)('%s session store', (_kind, open) => {
  it('stores a record and reads it back, tags deduplicated and sorted', async () => {
    store = open();
    const record = sessionRecord({ tags: ['b', 'a', 'b'], model: undefined, errorCode: 'X' });
    await store.sessions.put(record);
    expect(await store.sessions.get('session-1')).toEqual({ ...record, tags: ['a', 'b'] });
    expect(await store.sessions.get('missing')).toBeUndefined();
  });

  it('replaces a record on put, its tags included', async () => {
    store = open();
    await store.sessions.put(sessionRecord({ tags: ['old'], turns: 1 }));
    await store.sessions.put(sessionRecord({ tags: ['new'], turns: 3, status: 'running' }));
    expect(await store.sessions.get('session-1')).toMatchObject({ tags: ['new'], turns: 3 });
    expect((await store.sessions.list({ tag: 'old' })).total).toBe(0);
    expect((await store.sessions.list({ tag: 'new' })).total).toBe(1);
  });

  it('keeps the first prompt redacted and cut to FIRST_PROMPT_MAX_LENGTH', async () => {
    store = open();
    const key = 'sk-ant-api03-abcdefghijklmnopqrstuvwxyz';
    await store.sessions.put(
      sessionRecord({ firstPrompt: `Use ${key} then ${'x'.repeat(2 * FIRST_PROMPT_MAX_LENGTH)}` }),
    );
    const stored = await store.sessions.get('session-1');
    expect(stored?.firstPrompt).not.toContain('sk-ant-api03');
    expect(stored?.firstPrompt.startsWith('Use [redacted] then xxx')).toBe(true);
    expect(stored?.firstPrompt).toHaveLength(FIRST_PROMPT_MAX_LENGTH);
    expect(stored?.firstPrompt.endsWith('…')).toBe(true);
    expect((await store.sessions.list({ search: 'sk-ant' })).total).toBe(0);
  });

  it('refuses an invalid record, naming the field and the value', async () => {
    store = open();
    const bad = sessionRecord({ costUsd: -1 });
    await expect(store.sessions.put(bad)).rejects.toThrow(InvalidOptionsError);
    await expect(store.sessions.put(bad)).rejects.toThrow(/`costUsd`.*got `-1`/);
    await expect(store.sessions.put(sessionRecord({ status: 'done' as never }))).rejects.toThrow(
      /`status`/,
    );
    expect(await store.sessions.get('session-1')).toBeUndefined();
  });

  it('finds sessions by tag, kind, status, dates, cost and prompt text', async () => {
    store = open();
    await seed(store.sessions);
    const ids = async (filter: Parameters<SessionStore['list']>[0]) =>
      (await store.sessions.list(filter)).sessions.map((s) => s.id);
    expect(await ids({})).toEqual(['c', 'b', 'a']);
    expect(await ids({ tag: 'nightly' })).toEqual(['b', 'a']);
    expect(await ids({ tag: 'docs' })).toEqual(['a']);
    expect(await ids({ kind: 'session' })).toEqual(['b']);
    expect(await ids({ status: 'failed' })).toEqual(['c']);
    expect(await ids({ since: day(5) })).toEqual(['c', 'b']);
    expect(await ids({ since: new Date(day(2)), until: new Date(day(10)) })).toEqual(['b']);
    expect(await ids({ minCostUsd: 0.2 })).toEqual(['c', 'b']);
    expect(await ids({ minCostUsd: 0.1, maxCostUsd: 0.3 })).toEqual(['c']);
    expect(await ids({ search: 'parser' })).toEqual(['c', 'b']);
    expect(await ids({ search: 'PARSER mod' })).toEqual(['b']);
    expect(await ids({ search: '%' })).toEqual([]);
    expect(await ids({ tag: 'nightly', search: 'changelog' })).toEqual(['a']);
  });

  it('orders by creation, update or cost, either way, and pages with a total', async () => {
    store = open();
    await seed(store.sessions);
    const ids = async (filter: Parameters<SessionStore['list']>[0]) =>
      (await store.sessions.list(filter)).sessions.map((s) => s.id);
    expect(await ids({ order: 'asc' })).toEqual(['a', 'b', 'c']);
    expect(await ids({ orderBy: 'costUsd' })).toEqual(['b', 'c', 'a']);
    expect(await ids({ orderBy: 'updatedAt', order: 'asc' })).toEqual(['a', 'b', 'c']);
    expect(await store.sessions.list({ limit: 2, offset: 1 })).toMatchObject({
      sessions: [{ id: 'b' }, { id: 'a' }],
      total: 3,
    });
    expect(await store.sessions.list({ limit: 2, offset: 5 })).toEqual({ sessions: [], total: 3 });
  });

  it.each([
    [{ minCostUsd: -0.5 }, /`minCostUsd`.*got `-0.5`/],
    [{ since: new Date('not a date') }, /`since`: expected a valid date/],
    [{ limit: 0 }, /`limit`/],
    [{ tags: 'x' }, /`tags`/],
    [{ orderBy: 'cost' }, /`orderBy`/],
  ])('refuses the filter %o, naming the field', async (filter, message) => {
    store = open();
    await expect(store.sessions.list(filter as never)).rejects.toThrow(message);
  });

  it('deletes one session and cleans up those last written before a date', async () => {
    store = open();
    await seed(store.sessions);
    expect(await store.sessions.delete('a')).toBe(true);
    expect(await store.sessions.delete('a')).toBe(false);
    expect((await store.sessions.list({ tag: 'docs' })).total).toBe(0);
    await store.sessions.put(sessionRecord({ id: 'd', createdAt: day(1), updatedAt: day(2) }));
    // b was created on day 5 but written on day 9: cleanup goes by the last write.
    expect(await store.sessions.cleanup({ olderThan: new Date(day(9)) })).toBe(1);
    expect((await store.sessions.list()).sessions.map((s) => s.id)).toEqual(['c', 'b']);
    expect(await store.sessions.cleanup({ olderThan: day(11) })).toBe(2);
    expect((await store.sessions.list({ tag: 'nightly' })).total).toBe(0);
    await expect(store.sessions.cleanup({ olderThan: Number.NaN })).rejects.toThrow(/`olderThan`/);
  });
});

describe('sqlite session store', () => {
  it('keeps sessions and their tags across opens of the file', async () => {
    const path = join(dir, 'store.db');
    const first = openSqliteStore(path);
    await seed(first.sessions);
    await first.close();
    store = openSqliteStore(path);
    expect(await store.sessions.list({ tag: 'nightly' })).toMatchObject({
      sessions: [{ id: 'b', firstPrompt: 'Refactor the PARSER module' }, { id: 'a' }],
      total: 2,
    });
  });
});
