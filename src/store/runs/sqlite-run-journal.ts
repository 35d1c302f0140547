import type { Database } from 'better-sqlite3';
import { redactSecrets } from '../../core/redaction/redact-secrets.js';
import { StoreError } from '../errors/store-error.js';
import { guardStoreCall } from './guard-store-call.js';
import { leaseLostError } from './lease-lost-error.js';
import { redactTaskSnapshot } from './redact-task-snapshot.js';
import type { RunJournal } from './run-journal.js';
import type { NewRunLease } from './run-lease.js';
import type { JournalRunStatus, RunRecord, RunStart } from './run-record.js';
import { sqliteRunLeases } from './sqlite-run-leases.js';
import {
  type JournalTaskStatus,
  PENDING_TASK,
  type TaskJournalEvent,
  type TaskRecord,
  type TaskSnapshot,
  type TaskTransition,
} from './task-record.js';
import { describeTaskWrites, type TaskWrite } from './task-write.js';

interface RunRow {
  run_id: string;
  plan_key: string;
  plan_name: string | null;
  plan_hash: string;
  status: string;
  started_at: number;
  finished_at: number | null;
  updated_at: number;
  resumes: number;
  options: string;
}

interface TaskRow {
  run_id: string;
  task_id: string;
  position: number;
  hash: string;
  status: string;
  attempts: number;
  failures: number;
  query_attempts: number;
  query_id: string | null;
  session_id: string | null;
  cost_usd: number;
  usage: string | null;
  output: string | null;
  error: string | null;
  error_code: string | null;
  worker: string | null;
  skipped_because: string | null;
  started_at: number | null;
  finished_at: number | null;
  updated_at: number;
}

interface TransitionRow {
  seq: number;
  run_id: string;
  task_id: string;
  event: string;
  status: string;
  at: number;
  attempts: number;
  query_id: string | null;
  session_id: string | null;
  cost_usd: number;
  error: string | null;
}

const TASK_COLUMNS =
  'run_id, task_id, position, hash, status, attempts, failures, query_attempts, query_id, ' +
  'session_id, cost_usd, usage, output, error, error_code, worker, skipped_because, ' +
  'started_at, finished_at, updated_at';

const opt = <T>(value: T | null): T | undefined => (value === null ? undefined : value);
const nul = <T>(value: T | undefined): T | null => (value === undefined ? null : value);

function toRun(row: RunRow): RunRecord {
  return {
    runId: row.run_id,
    planKey: row.plan_key,
    planName: opt(row.plan_name),
    planHash: row.plan_hash,
    status: row.status as JournalRunStatus,
    startedAt: row.started_at,
    finishedAt: opt(row.finished_at),
    updatedAt: row.updated_at,
    resumes: row.resumes,
    options: JSON.parse(row.options) as Record<string, unknown>,
  };
}

function toTask(row: TaskRow): TaskRecord {
  return {
    runId: row.run_id,
    taskId: row.task_id,
    position: row.position,
    hash: row.hash,
    status: row.status as JournalTaskStatus,
    attempts: row.attempts,
    failures: row.failures,
    queryAttempts: row.query_attempts,
    queryId: opt(row.query_id),
    sessionId: opt(row.session_id),
    costUsd: row.cost_usd,
    usage: row.usage === null ? undefined : JSON.parse(row.usage),
    output: opt(row.output),
    error: opt(row.error),
    errorCode: opt(row.error_code),
    worker: opt(row.worker),
    skippedBecause: opt(row.skipped_because),
    startedAt: opt(row.started_at),
    finishedAt: opt(row.finished_at),
    updatedAt: row.updated_at,
  };
}

function toTransition(row: TransitionRow): TaskTransition {
  return {
    runId: row.run_id,
    taskId: row.task_id,
    seq: row.seq,
    event: row.event as TaskJournalEvent,
    status: row.status as JournalTaskStatus,
    at: row.at,
    attempts: row.attempts,
    queryId: opt(row.query_id),
    sessionId: opt(row.session_id),
    costUsd: row.cost_usd,
    error: opt(row.error),
  };
}

/**
 * A {@link RunJournal} on the tables of migrations 4 (`run journal`) and 7 (the log clustered
 * by run). better-sqlite3 is synchronous: every method has committed its transaction when it
 * returns, before its promise settles. A failing
 * statement (disk full, a locked file past the busy timeout) rejects with a {@link StoreError}
 * `STORE_FAILED` naming the run and the file, its transaction rolled back. A transition costs
 * an UPDATE of its task's row (once per task and batch) and an INSERT into the log, on
 * statements prepared once; a batch is one `BEGIN IMMEDIATE`…`COMMIT`, so the commit (the WAL
 * pages written) is paid once for all of it.
 * A fenced write (one given its lease token) reads the run's lease inside that transaction,
 * under the file's write lock: a host that took the run over has committed its claim before, or
 * claims after, never in between.
 */
export function sqliteRunJournal(db: Database, location?: string): RunJournal {
  const insertRun = db.prepare(
    'INSERT INTO runs (run_id, plan_key, plan_name, plan_hash, status, started_at, ' +
      "finished_at, updated_at, resumes, options) VALUES (?, ?, ?, ?, 'running', ?, NULL, ?, 0, ?)",
  );
  const reopenRun = db.prepare(
    "UPDATE runs SET plan_key = ?, plan_name = ?, plan_hash = ?, status = 'running', " +
      'finished_at = NULL, updated_at = ?, resumes = resumes + 1, options = ? WHERE run_id = ?',
  );
  const finishRun = db.prepare(
    'UPDATE runs SET status = ?, finished_at = ?, updated_at = ? WHERE run_id = ?',
  );
  const getRun = db.prepare<[string], RunRow>('SELECT * FROM runs WHERE run_id = ?');
  const allRuns = db.prepare<[], RunRow>('SELECT * FROM runs ORDER BY started_at DESC, rowid DESC');
  const planRuns = db.prepare<[string], RunRow>(
    'SELECT * FROM runs WHERE plan_key = ? ORDER BY started_at DESC, rowid DESC',
  );
  const runTasks = db.prepare<[string], TaskRow>(
    'SELECT * FROM run_tasks WHERE run_id = ? ORDER BY position',
  );
  const upsertTask = db.prepare(
    `INSERT INTO run_tasks (${TASK_COLUMNS}) VALUES (${TASK_COLUMNS.split(',')
      .map(() => '?')
      .join(', ')}) ON CONFLICT (run_id, task_id) DO UPDATE SET ${TASK_COLUMNS.split(', ')
      .slice(2)
      .map((column) => `${column} = excluded.${column}`)
      .join(', ')}`,
  );
  // A transition replaces the state columns of a row that exists: no look-up of its position
  // and hash first, and `changes` says whether the run has the task.
  const updateTask = db.prepare(
    `UPDATE run_tasks SET ${TASK_COLUMNS.split(', ')
      .slice(4)
      .map((column) => `${column} = ?`)
      .join(', ')} WHERE run_id = ? AND task_id = ?`,
  );
  const deleteTask = db.prepare('DELETE FROM run_tasks WHERE run_id = ? AND task_id = ?');
  // The next number of the run's log (the run id is bound twice), read inside the write's
  // transaction, which holds the file's write lock: the last key of the run's range, one
  // descent of the clustered table.
  const appendTransition = db.prepare(
    'INSERT INTO run_task_transitions (run_id, seq, task_id, event, status, at, attempts, ' +
      'query_id, session_id, cost_usd, error) VALUES (?, (SELECT coalesce(max(seq), 0) + 1 ' +
      'FROM run_task_transitions WHERE run_id = ?), ?, ?, ?, ?, ?, ?, ?, ?, ?)',
  );
  const runLog = db.prepare<[string], TransitionRow>(
    'SELECT * FROM run_task_transitions WHERE run_id = ? ORDER BY seq',
  );
  const taskLog = db.prepare<[string, string], TransitionRow>(
    'SELECT * FROM run_task_transitions WHERE run_id = ? AND task_id = ? ORDER BY seq',
  );
  const deleteRun = db.prepare('DELETE FROM runs WHERE run_id = ?');
  // Fencing: one look-up of the run's lease by its key, inside the write's transaction.
  const leaseToken = db
    .prepare<[string], string>('SELECT token FROM run_leases WHERE run_id = ?')
    .pluck();
  /** Refuses a fenced write whose token no longer holds the run. */
  const fence = (runId: string, token: string | undefined, what: () => string): void => {
    if (token !== undefined && leaseToken.get(runId) !== token) {
      throw leaseLostError(runId, what(), location);
    }
  };

  const writeTask = (
    runId: string,
    taskId: string,
    position: number,
    hash: string,
    snapshot: TaskSnapshot,
    event: TaskJournalEvent,
    at: number,
  ): void => {
    const s = redactTaskSnapshot(snapshot);
    upsertTask.run(
      runId,
      taskId,
      position,
      hash,
      s.status,
      s.attempts,
      s.failures,
      s.queryAttempts,
      nul(s.queryId),
      nul(s.sessionId),
      s.costUsd,
      s.usage === undefined ? null : JSON.stringify(s.usage),
      nul(s.output),
      nul(s.error),
      nul(s.errorCode),
      nul(s.worker),
      nul(s.skippedBecause),
      nul(s.startedAt),
      nul(s.finishedAt),
      at,
    );
    appendTransition.run(
      runId,
      runId,
      taskId,
      event,
      s.status,
      at,
      s.attempts,
      nul(s.queryId),
      nul(s.sessionId),
      s.costUsd,
      nul(s.error),
    );
  };

  const guarded = <T>(what: string | (() => string), work: () => T): T =>
    guardStoreCall(what, work, location);

  const leases = sqliteRunLeases(db, location);
  const create = db.transaction((start: RunStart, lease: NewRunLease | undefined) => {
    if (getRun.get(start.runId)) {
      throw new StoreError('STORE_FAILED', `The journal has a run \`${start.runId}\` already`, {
        location,
      });
    }
    insertRun.run(
      start.runId,
      start.planKey,
      nul(start.planName),
      start.planHash,
      start.at,
      start.at,
      JSON.stringify(start.options),
    );
    start.tasks.forEach(({ taskId, hash }, position) => {
      writeTask(start.runId, taskId, position, hash, PENDING_TASK, 'created', start.at);
    });
    if (lease) leases.claimWithin({ ...lease, runId: start.runId, expected: undefined });
  });

  const reopen = db.transaction((input: Parameters<RunJournal['reopenRun']>[0]) => {
    const changed = reopenRun.run(
      input.planKey,
      nul(input.planName),
      input.planHash,
      input.at,
      JSON.stringify(input.options),
      input.runId,
    );
    if (changed.changes === 0) {
      throw new StoreError('STORE_FAILED', `The journal has no run \`${input.runId}\``, {
        location,
      });
    }
    const old = new Map(runTasks.all(input.runId).map((row) => [row.task_id, toTask(row)]));
    const keep = new Set(input.tasks.map((task) => task.taskId));
    for (const taskId of old.keys()) if (!keep.has(taskId)) deleteTask.run(input.runId, taskId);
    const reset = new Set(input.reset);
    input.tasks.forEach(({ taskId, hash }, position) => {
      const before = old.get(taskId);
      if (!before) {
        writeTask(input.runId, taskId, position, hash, PENDING_TASK, 'created', input.at);
      } else if (reset.has(taskId)) {
        const snapshot: TaskSnapshot = {
          ...PENDING_TASK,
          attempts: before.attempts,
          queryAttempts: before.queryAttempts,
          costUsd: before.costUsd,
          usage: before.usage,
        };
        writeTask(input.runId, taskId, position, hash, snapshot, 'reset', input.at);
      } else {
        upsertTask.run(
          input.runId,
          taskId,
          position,
          hash,
          before.status,
          before.attempts,
          before.failures,
          before.queryAttempts,
          nul(before.queryId),
          nul(before.sessionId),
          before.costUsd,
          before.usage === undefined ? null : JSON.stringify(before.usage),
          nul(before.output),
          nul(before.error),
          nul(before.errorCode),
          nul(before.worker),
          nul(before.skippedBecause),
          nul(before.startedAt),
          nul(before.finishedAt),
          before.updatedAt,
        );
      }
    });
  });

  /** A task's row replaced by its state after `write`. */
  const updateRow = (runId: string, write: TaskWrite): void => {
    const s = write.snapshot;
    const changed = updateTask.run(
      s.status,
      s.attempts,
      s.failures,
      s.queryAttempts,
      nul(s.queryId),
      nul(s.sessionId),
      s.costUsd,
      s.usage === undefined ? null : JSON.stringify(s.usage),
      s.output === undefined ? null : redactSecrets(s.output),
      s.error === undefined ? null : redactSecrets(s.error),
      nul(s.errorCode),
      nul(s.worker),
      nul(s.skippedBecause),
      nul(s.startedAt),
      nul(s.finishedAt),
      write.at,
      runId,
      write.taskId,
    );
    if (changed.changes === 0) {
      throw new StoreError(
        'STORE_FAILED',
        `The journal has no task \`${write.taskId}\` in run \`${runId}\``,
        { location },
      );
    }
  };

  /** One entry of the transition log. */
  const appendEntry = (runId: string, write: TaskWrite): void => {
    const s = write.snapshot;
    appendTransition.run(
      runId,
      runId,
      write.taskId,
      write.event,
      s.status,
      write.at,
      s.attempts,
      nul(s.queryId),
      nul(s.sessionId),
      s.costUsd,
      s.error === undefined ? null : redactSecrets(s.error),
    );
  };

  /** `work` on `write`, a failure named after that transition (the whole batch rolls back). */
  const named = (runId: string, write: TaskWrite, work: () => void): void => {
    try {
      work();
    } catch (error) {
      guarded(describeTaskWrites(runId, [write]), () => {
        throw error;
      });
    }
  };

  const record = db.transaction(
    (runId: string, writes: readonly TaskWrite[], token: string | undefined) => {
      fence(runId, token, () => describeTaskWrites(runId, writes));
      // A row is replaced by its task's last state of the batch (a task queued and started in
      // one turn is updated once, its output redacted once); the log gets every entry.
      const last = new Map<string, TaskWrite>();
      for (const write of writes) {
        last.set(write.taskId, write);
        named(runId, write, () => appendEntry(runId, write));
      }
      for (const write of last.values()) named(runId, write, () => updateRow(runId, write));
    },
  );

  const finish = db.transaction(
    (runId: string, status: string, at: number, token: string | undefined) => {
      fence(runId, token, () => `record the end of run \`${runId}\``);
      const changed = finishRun.run(status, at, at, runId);
      if (changed.changes === 0) {
        throw new StoreError('STORE_FAILED', `The journal has no run \`${runId}\``, { location });
      }
    },
  );

  return {
    getLease: leases.getLease,
    claimLease: leases.claimLease,
    renewLease: leases.renewLease,
    releaseLease: leases.releaseLease,
    createRun: async (start, lease) =>
      guarded(`record run \`${start.runId}\``, () => {
        create.immediate(start, lease);
        return toRun(getRun.get(start.runId)!);
      }),
    reopenRun: async (input) =>
      guarded(`reopen run \`${input.runId}\``, () => {
        reopen.immediate(input);
        return toRun(getRun.get(input.runId)!);
      }),
    finishRun: async (runId, status, at, token) =>
      guarded(`record the end of run \`${runId}\``, () =>
        finish.immediate(runId, status, at, token),
      ),
    getRun: async (runId) =>
      guarded(`read run \`${runId}\``, () => {
        const row = getRun.get(runId);
        return row && toRun(row);
      }),
    listRuns: async (filter = {}) =>
      guarded('list runs', () =>
        (filter.planKey === undefined ? allRuns.all() : planRuns.all(filter.planKey)).map(toRun),
      ),
    tasks: async (runId) =>
      guarded(`read the tasks of run \`${runId}\``, () => runTasks.all(runId).map(toTask)),
    recordTask: async (runId, taskId, event, snapshot, at, token) => {
      const writes = [{ taskId, event, snapshot, at }];
      guarded(
        () => describeTaskWrites(runId, writes),
        () => record.immediate(runId, writes, token),
      );
    },
    recordTasks: async (runId, writes, token) => {
      if (writes.length === 0) return;
      guarded(
        () => describeTaskWrites(runId, writes),
        () => record.immediate(runId, writes, token),
      );
    },
    transitions: async (runId, taskId) =>
      guarded(`read the log of run \`${runId}\``, () =>
        (taskId === undefined ? runLog.all(runId) : taskLog.all(runId, taskId)).map(toTransition),
      ),
    deleteRun: async (runId) =>
      guarded(`delete run \`${runId}\``, () => {
        deleteRun.run(runId);
      }),
  };
}
