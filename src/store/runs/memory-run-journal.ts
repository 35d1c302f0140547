import { redactSecrets } from '../../core/redaction/redact-secrets.js';
import { StoreError } from '../errors/store-error.js';
import { leaseLostError } from './lease-lost-error.js';
import { memoryRunLeases } from './memory-run-leases.js';
import type { RunJournal } from './run-journal.js';
import type { RunRecord } from './run-record.js';
import { PENDING_TASK, type TaskRecord, type TaskTransition } from './task-record.js';
import { describeTaskWrites, type TaskWrite } from './task-write.js';

/**
 * A {@link RunJournal} in maps, with the SQLite journal's behaviour (records are copied in and
 * out, so a caller's later change to an object never reaches the journal).
 */
export function memoryRunJournal(): RunJournal {
  const runs = new Map<string, RunRecord>();
  const tasks = new Map<string, TaskRecord[]>();
  /** Where each task of a run is in its `tasks` array (a transition finds its row at once). */
  const index = new Map<string, Map<string, number>>();
  const setTasks = (runId: string, rows: TaskRecord[]): void => {
    tasks.set(runId, rows);
    index.set(runId, new Map(rows.map((row, i) => [row.taskId, i])));
  };
  const log: TaskTransition[] = [];
  let seq = 0;
  const leases = memoryRunLeases((runId) => runs.has(runId));
  const copy = <T>(value: T): T => structuredClone(value);
  const runOf = (runId: string): RunRecord => {
    const run = runs.get(runId);
    if (!run) throw new StoreError('STORE_FAILED', `The journal has no run \`${runId}\``);
    return run;
  };
  const append = (task: TaskRecord, event: TaskTransition['event'], at: number): void => {
    log.push({
      runId: task.runId,
      taskId: task.taskId,
      seq: ++seq,
      event,
      status: task.status,
      at,
      attempts: task.attempts,
      queryId: task.queryId,
      sessionId: task.sessionId,
      costUsd: task.costUsd,
      error: task.error,
    });
  };
  const { drop: dropLease, holds, ...leaseMethods } = leases;
  /** Refuses a fenced write whose token no longer holds the run. */
  const fence = (runId: string, leaseToken: string | undefined, what: () => string): void => {
    if (leaseToken !== undefined && !holds(runId, leaseToken)) {
      throw leaseLostError(runId, what());
    }
  };
  /** Every write checked before any is applied: a batch is written whole or not at all. */
  function recordTasks(
    runId: string,
    writes: readonly TaskWrite[],
    leaseToken: string | undefined,
  ): void {
    if (writes.length === 0) return;
    fence(runId, leaseToken, () => describeTaskWrites(runId, writes));
    const rows = tasks.get(runId);
    const positions = index.get(runId);
    const found = writes.map(({ taskId }) => {
      const i = positions?.get(taskId);
      if (!rows || i === undefined) {
        throw new StoreError(
          'STORE_FAILED',
          `The journal has no task \`${taskId}\` in run \`${runId}\``,
        );
      }
      return i;
    });
    writes.forEach(({ taskId, event, snapshot: s, at }, n) => {
      const i = found[n]!;
      const before = rows![i]!;
      // A field-by-field copy (the snapshot is flat but for `usage`): what structuredClone
      // gave, for a fraction of its cost; outputs and errors redacted as the SQLite file has them.
      const row: TaskRecord = {
        status: s.status,
        attempts: s.attempts,
        failures: s.failures,
        queryAttempts: s.queryAttempts,
        queryId: s.queryId,
        sessionId: s.sessionId,
        costUsd: s.costUsd,
        usage: s.usage && { ...s.usage },
        output: s.output === undefined ? undefined : redactSecrets(s.output),
        error: s.error === undefined ? undefined : redactSecrets(s.error),
        errorCode: s.errorCode,
        worker: s.worker,
        skippedBecause: s.skippedBecause,
        startedAt: s.startedAt,
        finishedAt: s.finishedAt,
        runId,
        taskId,
        position: before.position,
        hash: before.hash,
        updatedAt: at,
      };
      rows![i] = row;
      append(row, event, at);
    });
  }

  return {
    ...leaseMethods,
    createRun: async (start, lease) => {
      if (runs.has(start.runId)) {
        throw new StoreError('STORE_FAILED', `The journal has a run \`${start.runId}\` already`);
      }
      const run: RunRecord = {
        runId: start.runId,
        planKey: start.planKey,
        planName: start.planName,
        planHash: start.planHash,
        status: 'running',
        startedAt: start.at,
        finishedAt: undefined,
        updatedAt: start.at,
        resumes: 0,
        options: copy(start.options),
      };
      const rows = start.tasks.map(
        ({ taskId, hash }, position): TaskRecord => ({
          ...PENDING_TASK,
          runId: start.runId,
          taskId,
          position,
          hash,
          updatedAt: start.at,
        }),
      );
      runs.set(run.runId, run);
      setTasks(run.runId, rows);
      for (const row of rows) append(row, 'created', start.at);
      // Claimed before this call yields: nothing runs in between, as in one transaction.
      if (lease) void leases.claimLease({ ...lease, runId: run.runId, expected: undefined });
      return copy(run);
    },
    reopenRun: async (reopen) => {
      const run: RunRecord = {
        ...runOf(reopen.runId),
        planKey: reopen.planKey,
        planName: reopen.planName,
        planHash: reopen.planHash,
        status: 'running',
        finishedAt: undefined,
        updatedAt: reopen.at,
        options: copy(reopen.options),
      };
      const old = new Map((tasks.get(run.runId) ?? []).map((row) => [row.taskId, row]));
      const reset = new Set(reopen.reset);
      const rows = reopen.tasks.map(({ taskId, hash }, position): TaskRecord => {
        const before = old.get(taskId);
        const base = { runId: run.runId, taskId, position, hash, updatedAt: reopen.at };
        if (!before) return { ...PENDING_TASK, ...base };
        if (!reset.has(taskId)) return { ...before, ...base };
        return {
          ...PENDING_TASK,
          ...base,
          attempts: before.attempts,
          queryAttempts: before.queryAttempts,
          costUsd: before.costUsd,
          usage: before.usage,
        };
      });
      runs.set(run.runId, { ...run, resumes: run.resumes + 1 });
      setTasks(run.runId, rows);
      for (const row of rows) {
        if (!old.has(row.taskId)) append(row, 'created', reopen.at);
        else if (reset.has(row.taskId)) append(row, 'reset', reopen.at);
      }
      return copy(runs.get(run.runId)!);
    },
    finishRun: async (runId, status, at, leaseToken) => {
      fence(runId, leaseToken, () => `record the end of run \`${runId}\``);
      runs.set(runId, { ...runOf(runId), status, finishedAt: at, updatedAt: at });
    },
    getRun: async (runId) => copy(runs.get(runId)),
    listRuns: async (filter = {}) =>
      [...runs.values()]
        .filter((run) => filter.planKey === undefined || run.planKey === filter.planKey)
        // Newest first; creation order breaks ties (the SQLite journal's rowid).
        .map((run, order) => ({ run, order }))
        .sort((a, b) => b.run.startedAt - a.run.startedAt || b.order - a.order)
        .map(({ run }) => copy(run)),
    tasks: async (runId) => copy(tasks.get(runId) ?? []),
    recordTask: async (runId, taskId, event, snapshot, at, leaseToken) =>
      recordTasks(runId, [{ taskId, event, snapshot, at }], leaseToken),
    recordTasks: async (runId, writes, leaseToken) => recordTasks(runId, writes, leaseToken),
    transitions: async (runId, taskId) =>
      copy(log.filter((t) => t.runId === runId && (taskId === undefined || t.taskId === taskId))),
    deleteRun: async (runId) => {
      runs.delete(runId);
      tasks.delete(runId);
      dropLease(runId);
      index.delete(runId);
      for (let i = log.length - 1; i >= 0; i -= 1) if (log[i]!.runId === runId) log.splice(i, 1);
    },
  };
}
