import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createMemoryStore } from '../../../src/store/create-memory-store.js';
import { openSqliteStore } from '../../../src/store/open-sqlite-store.js';
import type { SessionFilter } from '../../../src/store/sessions/session-filter.js';
import type { SessionRecord } from '../../../src/store/sessions/session-record.js';
import type { Store } from '../../../src/store/store.js';
import { generatedSessions } from './generated-sessions.js';

const COUNT = 3_000;
const sessions = generatedSessions(COUNT);
const DAY = 86_400_000;
const start = sessions[0]!.createdAt;

/** The expected answer, computed independently of either store. */
function expected(
  match: (s: SessionRecord) => boolean,
  by: (s: SessionRecord) => number = (s) => s.createdAt,
  desc = true,
): string[] {
  return sessions
    .filter(match)
    .sort((a, b) => (desc ? by(b) - by(a) : by(a) - by(b)) || (a.id < b.id ? -1 : 1))
    .map((s) => s.id);
}

const cases: ReadonlyArray<[string, SessionFilter, string[]]> = [
  ['a tag', { tag: 'team-3', limit: 10_000 }, expected((s) => s.tags.includes('team-3'))],
  [
    'a date range',
    { since: start + 10 * DAY, until: start + 12 * DAY, limit: 10_000 },
    expected((s) => s.createdAt >= start + 10 * DAY && s.createdAt < start + 12 * DAY),
  ],
  [
    'a cost range, by cost',
    { minCostUsd: 0.5, maxCostUsd: 0.6, orderBy: 'costUsd', limit: 10_000 },
    expected(
      (s) => s.costUsd >= 0.5 && s.costUsd <= 0.6,
      (s) => s.costUsd,
    ),
  ],
  [
    'prompt text',
    { search: 'MIGRATION', limit: 10_000 },
    expected((s) => s.firstPrompt.toLowerCase().includes('migration')),
  ],
  [
    'everything at once, oldest first',
    {
      tag: 'nightly',
      kind: 'query',
      status: 'failed',
      minCostUsd: 0.1,
      search: 'test',
      order: 'asc',
      limit: 10_000,
    },
    expected(
      (s) =>
        s.tags.includes('nightly') &&
        s.kind === 'query' &&
        s.status === 'failed' &&
        s.costUsd >= 0.1 &&
        s.firstPrompt.toLowerCase().includes('test'),
      undefined,
      false,
    ),
  ],
];

describe.each([
  ['sqlite', (dir: string) => openSqliteStore(join(dir, 'store.db'))],
  ['memory', () => createMemoryStore()],
] as const)('%s session store with 3,000 sessions', (_kind, open) => {
  let dir: string;
  let store: Store;
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'ca-sessions-'));
    store = open(dir);
    for (const session of sessions) await store.sessions.put(session);
  });
  afterAll(async () => {
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it.each(cases)('finds sessions by %s', async (_name, filter, ids) => {
    // Each case must select a real subset, or it would prove nothing.
    expect(ids.length).toBeGreaterThan(0);
    expect(ids.length).toBeLessThan(COUNT);
    const page = await store.sessions.list(filter);
    expect(page.total).toBe(ids.length);
    expect(page.sessions.map((s) => s.id)).toEqual(ids);
  });

  it('pages through every session newest first, 100 at a time, without gaps or repeats', async () => {
    const seen: string[] = [];
    for (let offset = 0; offset < COUNT; offset += 100) {
      const page = await store.sessions.list({ limit: 100, offset });
      expect(page.total).toBe(COUNT);
      seen.push(...page.sessions.map((s) => s.id));
    }
    expect(seen).toEqual(expected(() => true));
  });

  it('cleans up the sessions older than a date and keeps the rest', async () => {
    const cut = start + 20 * DAY;
    const old = sessions.filter((s) => s.updatedAt < cut).length;
    expect(old).toBeGreaterThan(0);
    expect(await store.sessions.cleanup({ olderThan: cut })).toBe(old);
    expect((await store.sessions.list()).total).toBe(COUNT - old);
    expect((await store.sessions.list({ until: cut - DAY })).total).toBe(0);
  });
});
