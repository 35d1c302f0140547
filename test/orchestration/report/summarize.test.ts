import { describe, expect, it } from 'vitest';
import type { TaskRow } from '../../../src/orchestration/report/run-summary.js';
import { summarize } from '../../../src/orchestration/report/summarize.js';

function row(id: string, extra: Partial<TaskRow> = {}): TaskRow {
  return {
    id,
    status: 'succeeded',
    attempts: 1,
    queryAttempts: 1,
    durationMs: 100,
    costUsd: 0.1,
    worker: 'worker-1',
    error: undefined,
    errorCode: undefined,
    skippedBecause: undefined,
    output: 'ok',
    outputFile: undefined,
    worktree: undefined,
    startedAt: 0,
    finishedAt: 100,
    ...extra,
  };
}

describe('summarize', () => {
  it('computes counts, wall time, speed-up, cost and tasks per worker', () => {
    const summary = summarize({
      runId: 'r',
      name: 'n',
      startedAt: 1_000,
      finishedAt: 1_250,
      workers: ['worker-1', 'worker-2', 'worker-3'],
      tasks: [
        row('a', { durationMs: 200, costUsd: 0.5 }),
        row('b', { worker: 'worker-2', durationMs: 150, costUsd: 0.25 }),
        row('c', { worker: 'worker-2', status: 'failed', durationMs: 150, costUsd: 0.25 }),
        row('d', { status: 'skipped', attempts: 0, worker: undefined, durationMs: 0, costUsd: 0 }),
      ],
    });
    expect(summary).toMatchObject({
      runId: 'r',
      name: 'n',
      status: 'failed',
      counts: { succeeded: 2, failed: 1, skipped: 1, cancelled: 0, total: 4 },
      wallDurationMs: 250,
      taskDurationMs: 500,
      speedUp: 2,
      totalCostUsd: 1,
      tasksPerWorker: { 'worker-1': 1, 'worker-2': 2, 'worker-3': 0 },
      workerCrashes: 0,
    });
  });

  it.each([
    ['every task succeeded', [row('a')], false, 'succeeded'],
    ['a task was skipped', [row('a', { status: 'skipped' })], false, 'failed'],
    ['a task was cancelled', [row('a'), row('b', { status: 'cancelled' })], false, 'cancelled'],
    ['the run was cancelled', [row('a')], true, 'cancelled'],
  ] as const)('says the run %s', (_name, tasks, cancelled, status) => {
    const summary = summarize({
      runId: 'r',
      startedAt: 0,
      finishedAt: 10,
      workers: ['worker-1'],
      tasks,
      cancelled,
    });
    expect(summary.status).toBe(status);
  });

  it('reports a speed-up of 1 for a run that took no time', () => {
    const summary = summarize({ runId: 'r', startedAt: 5, finishedAt: 5, workers: [], tasks: [] });
    expect(summary).toMatchObject({ wallDurationMs: 0, speedUp: 1, totalCostUsd: 0 });
  });
});
