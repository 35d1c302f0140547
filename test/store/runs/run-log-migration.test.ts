import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openSqliteStore } from '../../../src/store/open-sqlite-store.js';
import { PENDING_TASK } from '../../../src/store/runs/task-record.js';
import { loadSqliteDriver } from '../../../src/store/sqlite/load-sqlite-driver.js';
import { migrate } from '../../../src/store/sqlite/migrate.js';
import { SQLITE_MIGRATIONS } from '../../../src/store/sqlite/sqlite-migrations.js';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'ca-log-migration-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

/** A store file as migrations 1–6 left it, two runs' logs interleaved in the old table. */
function oldStore(path: string): void {
  const db = new (loadSqliteDriver())(path);
  db.pragma('journal_mode = WAL');
  migrate(db, SQLITE_MIGRATIONS.slice(0, 6));
  const run = db.prepare(
    "INSERT INTO runs VALUES (?, 'docs', 'docs', 'h', 'running', 1, NULL, 1, 0, '{}')",
  );
  const task = db.prepare(
    "INSERT INTO run_tasks (run_id, task_id, position, hash, status, attempts, failures, query_attempts, cost_usd, updated_at) VALUES (?, ?, ?, 'h', 'pending', 0, 0, 0, 0, 1)",
  );
  const entry = db.prepare(
    'INSERT INTO run_task_transitions (run_id, task_id, event, status, at, attempts, query_id, session_id, cost_usd, error) VALUES (?, ?, ?, ?, ?, 1, ?, ?, 0.5, ?)',
  );
  for (const runId of ['r1', 'r2']) {
    run.run(runId);
    task.run(runId, 'a', 0);
    task.run(runId, 'b', 1);
  }
  const entries: [string, string, string, string, string | null][] = [
    ['r1', 'a', 'started', 'running', null],
    ['r2', 'b', 'started', 'running', null],
    ['r1', 'b', 'started', 'running', null],
    ['r1', 'a', 'failed', 'failed', 'boom'],
    ['r2', 'b', 'succeeded', 'succeeded', null],
    ['r1', 'b', 'succeeded', 'succeeded', null],
    ['r1', 'a', 'started', 'running', null],
  ];
  entries.forEach(([runId, taskId, event, status, error], at) => {
    entry.run(runId, taskId, event, status, at, `q-${at}`, `s-${at}`, error);
  });
  db.close();
}

describe('migration 7: the run log clustered by run', () => {
  it('keeps every entry of a file written by the old schema, with its seq, in its order', async () => {
    const path = join(dir, 'store.db');
    oldStore(path);
    const store = openSqliteStore(path);
    const log = await store.runs.transitions('r1');
    expect(log.map((t) => [t.seq, t.taskId, t.event, t.at])).toEqual([
      [1, 'a', 'started', 0],
      [3, 'b', 'started', 2],
      [4, 'a', 'failed', 3],
      [6, 'b', 'succeeded', 5],
      [7, 'a', 'started', 6],
    ]);
    expect(log[2]).toEqual({
      runId: 'r1',
      taskId: 'a',
      seq: 4,
      event: 'failed',
      status: 'failed',
      at: 3,
      attempts: 1,
      queryId: 'q-3',
      sessionId: 's-3',
      costUsd: 0.5,
      error: 'boom',
    });
    expect((await store.runs.transitions('r1', 'a')).map((t) => t.seq)).toEqual([1, 4, 7]);
    expect((await store.runs.transitions('r2')).map((t) => [t.seq, t.event])).toEqual([
      [2, 'started'],
      [5, 'succeeded'],
    ]);
    // A new entry follows its run's last one; the other run's log goes on from its own.
    await store.runs.recordTask('r1', 'a', 'failed', { ...PENDING_TASK, status: 'failed' }, 8);
    await store.runs.recordTask('r2', 'a', 'started', { ...PENDING_TASK, status: 'running' }, 9);
    expect((await store.runs.transitions('r1', 'a')).map((t) => t.seq)).toEqual([1, 4, 7, 8]);
    expect((await store.runs.transitions('r2')).map((t) => t.seq)).toEqual([2, 5, 6]);
    await store.close();
  });

  it('leaves no AUTOINCREMENT counter nor per-task index, and reads a run or a task by key range', async () => {
    const path = join(dir, 'store.db');
    oldStore(path);
    await openSqliteStore(path).close();
    const db = new (loadSqliteDriver())(path);
    const sequence = db.prepare('SELECT name FROM sqlite_sequence').all();
    expect(sequence).not.toContainEqual({ name: 'run_task_transitions' });
    const indexes = db
      .prepare("SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = ?")
      .all('run_task_transitions') as { name: string }[];
    // Clustered on its primary key: no index besides the table itself.
    expect(indexes).toEqual([]);
    const table = db
      .prepare("SELECT sql FROM sqlite_master WHERE type = 'table' AND name = ?")
      .get('run_task_transitions') as { sql: string };
    expect(table.sql).toContain('WITHOUT ROWID');
    const plan = (sql: string, ...args: string[]): string =>
      (db.prepare(`EXPLAIN QUERY PLAN ${sql}`).all(...args) as { detail: string }[])
        .map((row) => row.detail)
        .join('; ');
    const byRun = plan('SELECT * FROM run_task_transitions WHERE run_id = ? ORDER BY seq', 'r1');
    const byTask = plan(
      'SELECT * FROM run_task_transitions WHERE run_id = ? AND task_id = ? ORDER BY seq',
      'r1',
      'a',
    );
    for (const detail of [byRun, byTask]) {
      expect(detail).toContain('USING PRIMARY KEY (run_id=?)');
      expect(detail).not.toContain('TEMP B-TREE');
    }
    db.close();
  });

  it('numbers a new run log 1, 2, 3 and drops it with its run', async () => {
    const path = join(dir, 'store.db');
    const store = openSqliteStore(path);
    const tasks = [{ taskId: 'a', hash: 'h' }];
    const start = { planKey: 'k', planName: 'k', planHash: 'h', at: 1, options: {}, tasks };
    await store.runs.createRun({ ...start, runId: 'x' });
    await store.runs.createRun({ ...start, runId: 'y' });
    await store.runs.recordTask('x', 'a', 'queued', { ...PENDING_TASK, status: 'queued' }, 2);
    expect((await store.runs.transitions('x')).map((t) => t.seq)).toEqual([1, 2]);
    expect((await store.runs.transitions('y')).map((t) => t.seq)).toEqual([1]);
    await store.runs.deleteRun('x');
    expect(await store.runs.transitions('x')).toEqual([]);
    expect(await store.runs.transitions('y')).toHaveLength(1);
    await store.close();
  });
});
