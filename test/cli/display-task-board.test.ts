import { describe, expect, it } from 'vitest';
import { TaskBoard } from '../../src/cli/task-board.js';
import type { TaskProgressEvent } from '../../src/orchestration/task-queue/task-progress-event.js';

const base = (taskId: string, at: number) => ({ runId: 'r', taskId, at, elapsedMs: at });

describe('TaskBoard', () => {
  it('folds progress events into the lines the display shows', () => {
    const board = new TaskBoard(['a', 'b', 'c'], 0);
    const events: TaskProgressEvent[] = [
      { ...base('a', 10), type: 'task.started', workerId: 'w1', attempt: 1, queryId: 'q1' },
      {
        ...base('a', 20),
        type: 'task.retrying',
        workerId: 'w1',
        attempt: 1,
        error: new Error('overloaded'),
        costUsd: 0.001,
      },
      { ...base('a', 30), type: 'task.started', workerId: 'w2', attempt: 2, queryId: 'q2' },
      {
        ...base('a', 90),
        type: 'task.failed',
        workerId: 'w2',
        attempts: 2,
        durationMs: 80,
        costUsd: 0.003,
        error: new Error('still overloaded'),
      },
      { ...base('b', 95), type: 'task.skipped', because: 'a', via: 'a' },
      { ...base('c', 40), type: 'task.started', workerId: 'w3', attempt: 1, queryId: 'q3' },
      { ...base('c', 50), type: 'task.queued', priority: 0, requeued: true },
    ];
    for (const event of events) board.apply(event);
    expect(board.tasks.get('a')).toMatchObject({
      status: 'failed',
      worker: 'w2',
      attempt: 2,
      startedAt: 10,
      endedAt: 90,
      elapsedMs: 80,
      costUsd: 0.003,
      note: 'still overloaded',
    });
    expect(board.tasks.get('b')).toMatchObject({
      status: 'skipped',
      endedAt: 95,
      note: 'skipped: a did not succeed',
    });
    // Its worker crashed: back in the queue.
    expect(board.tasks.get('c')!.status).toBe('queued');
  });

  it('shows a task a resumed run kept from the journal as it ended', () => {
    const board = new TaskBoard(['a'], 0);
    board.apply({
      ...base('a', 5),
      type: 'task.restored',
      status: 'succeeded',
      attempts: 1,
      costUsd: 0.02,
      output: 'x',
    });
    expect(board.tasks.get('a')).toMatchObject({
      status: 'succeeded',
      endedAt: 5,
      costUsd: 0.02,
      note: 'kept from the journal',
    });
  });

  it('ignores events of tasks it does not know', () => {
    const board = new TaskBoard(['a'], 0);
    board.apply({ ...base('zzz', 1), type: 'task.skipped', because: 'x', via: 'x' });
    expect([...board.tasks.keys()]).toEqual(['a']);
  });
});
