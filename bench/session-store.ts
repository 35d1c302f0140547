/**
 * Session store figures (run on demand: `npx tsx bench/session-store.ts [--sessions 3000]`):
 *
 * 1. Insert: µs per `sessions.put` (one committed transaction each) into a SQLite file, and
 *    the file's size per 1,000 sessions.
 * 2. Search: µs per `sessions.list` by tag, date range, cost range, first-prompt text and all
 *    at once (median of 200 runs), SQLite and memory.
 * 3. Why no full-text index: the same prompt search through `instr` on the case-folded copy
 *    (what the store does), `LIKE '%…%'`, and an FTS5 trigram index on the same rows.
 */
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { createMemoryStore } from '../src/store/create-memory-store.js';
import { openSqliteStore } from '../src/store/open-sqlite-store.js';
import type { SessionFilter } from '../src/store/sessions/session-filter.js';
import { loadSqliteDriver } from '../src/store/sqlite/load-sqlite-driver.js';
import type { Store } from '../src/store/store.js';
import { generatedSessions } from '../test/store/sessions/generated-sessions.js';

const { values } = parseArgs({ options: { sessions: { type: 'string', default: '3000' } } });
const count = Number(values.sessions);
const RUNS = 200;
const sessions = generatedSessions(count);
const start = sessions[0]!.createdAt;
const DAY = 86_400_000;

function median(samples: number[]): number {
  const sorted = [...samples].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)]!;
}

async function timeAsync(run: () => Promise<unknown>): Promise<number> {
  const samples: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    const t = performance.now();
    await run();
    samples.push((performance.now() - t) * 1000);
  }
  return median(samples);
}

function timeSync(run: () => unknown): number {
  const samples: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    const t = performance.now();
    run();
    samples.push((performance.now() - t) * 1000);
  }
  return median(samples);
}

const searches: Record<string, SessionFilter> = {
  'tag (1 of 8)': { tag: 'team-3' },
  'date range (2 of 30 days)': { since: start + 10 * DAY, until: start + 12 * DAY },
  'cost range': { minCostUsd: 0.5, maxCostUsd: 0.6, orderBy: 'costUsd' },
  'first prompt text': { search: 'MIGRATION' },
  'all at once': { tag: 'nightly', status: 'failed', minCostUsd: 0.1, search: 'test' },
  'newest 50, no filter': { limit: 50 },
};

const dir = mkdtempSync(join(tmpdir(), 'ca-bench-sessions-'));
try {
  const file = join(dir, 'store.db');
  const sqlite = openSqliteStore(file);
  let t = performance.now();
  for (const session of sessions) await sqlite.sessions.put(session);
  const putUs = ((performance.now() - t) * 1000) / count;
  const memory = createMemoryStore();
  t = performance.now();
  for (const session of sessions) await memory.sessions.put(session);
  const memoryPutUs = ((performance.now() - t) * 1000) / count;
  // Checkpoint the WAL so the size is the database's, not the log's.
  const raw = new (loadSqliteDriver())(file);
  raw.pragma('wal_checkpoint(TRUNCATE)');
  const kbPer1000 = statSync(file).size / 1024 / (count / 1000);
  console.log(`${count} sessions`);
  console.log(
    `insert: ${putUs.toFixed(1)} µs per put (SQLite, one commit each), ` +
      `${memoryPutUs.toFixed(1)} µs (memory); file ${kbPer1000.toFixed(0)} KiB per 1,000 sessions`,
  );

  console.log('\nsearch, median µs per list() (limit 100):');
  const rows: Record<string, { sqlite: string; memory: string; matches: number }> = {};
  for (const [name, filter] of Object.entries(searches)) {
    const run = (store: Store) => () => store.sessions.list({ limit: 100, ...filter });
    rows[name] = {
      sqlite: (await timeAsync(run(sqlite))).toFixed(0),
      memory: (await timeAsync(run(memory))).toFixed(0),
      matches: (await sqlite.sessions.list(filter)).total,
    };
  }
  console.table(rows);

  // The prompt search three ways on the same rows.
  raw.exec(
    "CREATE VIRTUAL TABLE prompts_fts USING fts5(first_prompt, content='', tokenize='trigram')",
  );
  t = performance.now();
  raw.exec(
    'INSERT INTO prompts_fts (rowid, first_prompt) SELECT rowid, first_prompt FROM sessions',
  );
  const ftsBuildMs = performance.now() - t;
  const term = 'migration';
  const instr = raw.prepare(
    'SELECT count(*) FROM sessions WHERE instr(first_prompt_folded, ?) > 0',
  );
  const like = raw.prepare('SELECT count(*) FROM sessions WHERE first_prompt LIKE ?');
  const fts = raw.prepare('SELECT count(*) FROM prompts_fts WHERE prompts_fts MATCH ?');
  const counts = [
    instr.pluck().get(term),
    like.pluck().get(`%${term}%`),
    fts.pluck().get(`"${term}"`),
  ];
  console.log(`\nprompt search for "${term}" (matches: ${counts.join(' / ')}), median µs:`);
  console.table({
    'instr on the folded copy (the store)': timeSync(() => instr.get(term)).toFixed(0),
    "LIKE '%…%'": timeSync(() => like.get(`%${term}%`)).toFixed(0),
    'FTS5 trigram MATCH (count only)': timeSync(() => fts.get(`"${term}"`)).toFixed(0),
  });
  console.log(`FTS5 trigram index build: ${ftsBuildMs.toFixed(1)} ms for ${count} prompts`);
  raw.close();
  await sqlite.close();
} finally {
  rmSync(dir, { recursive: true, force: true });
}
