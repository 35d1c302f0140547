import type { Database, Statement } from 'better-sqlite3';
import { parseOlderThan } from './session-cleanup-options.js';
import { parseSessionFilter, type ResolvedSessionFilter } from './session-filter.js';
import type { SessionKind, SessionRecord, SessionRecordStatus } from './session-record.js';
import { normalizeSessionRecord } from './session-record-schema.js';
import type { SessionStore } from './session-store.js';

interface SessionRow {
  id: string;
  kind: SessionKind;
  key: string;
  tags: string;
  model: string | null;
  cwd: string | null;
  created_at: number;
  updated_at: number;
  turns: number;
  cost_usd: number;
  tokens: string;
  status: SessionRecordStatus;
  first_prompt: string;
  error_code: string | null;
}

const COLUMNS =
  'id, kind, key, tags, model, cwd, created_at, updated_at, turns, cost_usd, tokens, status, ' +
  'first_prompt, error_code';

const PREFIXED_COLUMNS = COLUMNS.split(', ')
  .map((column) => `s.${column}`)
  .join(', ');

const ORDER_COLUMNS = { createdAt: 'created_at', updatedAt: 'updated_at', costUsd: 'cost_usd' };

function toRecord(row: SessionRow): SessionRecord {
  return {
    id: row.id,
    kind: row.kind,
    key: row.key,
    tags: JSON.parse(row.tags),
    model: row.model ?? undefined,
    cwd: row.cwd ?? undefined,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
    turns: row.turns,
    costUsd: row.cost_usd,
    tokens: JSON.parse(row.tokens),
    status: row.status,
    firstPrompt: row.first_prompt,
    errorCode: row.error_code ?? undefined,
  };
}

/** The WHERE clause and its parameters for a filter (values are always bound, never inlined). */
function where(filter: ResolvedSessionFilter): { sql: string; params: unknown[] } {
  const clauses: string[] = [];
  const params: unknown[] = [];
  const add = (clause: string, value: unknown): void => {
    clauses.push(clause);
    params.push(value);
  };
  if (filter.tag !== undefined) {
    add(
      'EXISTS (SELECT 1 FROM session_tags t WHERE t.tag = ? AND t.session_id = s.id)',
      filter.tag,
    );
  }
  if (filter.kind !== undefined) add('s.kind = ?', filter.kind);
  if (filter.status !== undefined) add('s.status = ?', filter.status);
  if (filter.since !== undefined) add('s.created_at >= ?', filter.since);
  if (filter.until !== undefined) add('s.created_at < ?', filter.until);
  if (filter.minCostUsd !== undefined) add('s.cost_usd >= ?', filter.minCostUsd);
  if (filter.maxCostUsd !== undefined) add('s.cost_usd <= ?', filter.maxCostUsd);
  // The same case folding as the memory store (JavaScript's), not SQLite's ASCII-only LIKE.
  if (filter.search !== undefined) {
    add('instr(s.first_prompt_folded, ?) > 0', filter.search.toLowerCase());
  }
  return { sql: clauses.length ? ` WHERE ${clauses.join(' AND ')}` : '', params };
}

/**
 * A {@link SessionStore} on the `sessions` and `session_tags` tables (migration 3). A write
 * (the row and its tags) is one transaction, committed before the promise settles.
 */
export function sqliteSessionStore(db: Database): SessionStore {
  const upsert = db.prepare(
    `INSERT INTO sessions (${COLUMNS}, first_prompt_folded) ` +
      'VALUES (@id, @kind, @key, @tags, @model, @cwd, @createdAt, @updatedAt, @turns, @costUsd, ' +
      '@tokens, @status, @firstPrompt, @errorCode, @folded) ' +
      'ON CONFLICT (id) DO UPDATE SET kind = excluded.kind, key = excluded.key, ' +
      'tags = excluded.tags, model = excluded.model, cwd = excluded.cwd, ' +
      'created_at = excluded.created_at, updated_at = excluded.updated_at, ' +
      'turns = excluded.turns, cost_usd = excluded.cost_usd, tokens = excluded.tokens, ' +
      'status = excluded.status, first_prompt = excluded.first_prompt, ' +
      'first_prompt_folded = excluded.first_prompt_folded, error_code = excluded.error_code',
  );
  const clearTags = db.prepare<[string]>('DELETE FROM session_tags WHERE session_id = ?');
  const addTag = db.prepare<[string, string]>(
    'INSERT INTO session_tags (session_id, tag) VALUES (?, ?)',
  );
  const getOne = db.prepare<[string], SessionRow>(`SELECT ${COLUMNS} FROM sessions WHERE id = ?`);
  const remove = db.prepare<[string]>('DELETE FROM sessions WHERE id = ?');
  const removeOld = db.prepare<[number]>('DELETE FROM sessions WHERE updated_at < ?');
  const put = db.transaction((record: SessionRecord) => {
    upsert.run({
      ...record,
      tags: JSON.stringify(record.tags),
      model: record.model ?? null,
      cwd: record.cwd ?? null,
      tokens: JSON.stringify(record.tokens),
      errorCode: record.errorCode ?? null,
      folded: record.firstPrompt.toLowerCase(),
    });
    clearTags.run(record.id);
    for (const tag of record.tags) addTag.run(record.id, tag);
  });
  // A filter's statements are prepared once per shape (which fields it sets, the order).
  const statements = new Map<string, Statement>();
  const prepared = (sql: string): Statement => {
    let statement = statements.get(sql);
    if (!statement) {
      statement = db.prepare(sql);
      statements.set(sql, statement);
    }
    return statement;
  };
  // One read transaction: the page and the total see the same snapshot of the file.
  const page = db.transaction((filter: ResolvedSessionFilter) => {
    const { sql, params } = where(filter);
    const direction = filter.order === 'asc' ? 'ASC' : 'DESC';
    const order = `ORDER BY s.${ORDER_COLUMNS[filter.orderBy]} ${direction}, s.id ASC`;
    // Sort and page the row ids first, then read whole rows for the page only: sorting every
    // match with its prompt and JSON columns costs several times more.
    const rows = prepared(
      `SELECT ${PREFIXED_COLUMNS} FROM sessions s WHERE s.rowid IN ` +
        `(SELECT s.rowid FROM sessions s${sql} ${order} LIMIT ? OFFSET ?) ${order}`,
    ).all(...params, filter.limit, filter.offset) as SessionRow[];
    // A first page that is not full holds every match: no need to count them.
    const total =
      filter.offset === 0 && rows.length < filter.limit
        ? rows.length
        : (
            prepared(`SELECT count(*) AS total FROM sessions s${sql}`).get(...params) as {
              total: number;
            }
          ).total;
    return { sessions: rows.map(toRecord), total };
  });
  return {
    put: async (record) => {
      put(normalizeSessionRecord(record));
    },
    get: async (id) => {
      const row = getOne.get(id);
      return row && toRecord(row);
    },
    list: async (input) => page(parseSessionFilter(input)),
    delete: async (id) => remove.run(id).changes > 0,
    cleanup: async (options) => removeOld.run(parseOlderThan(options)).changes,
  };
}
