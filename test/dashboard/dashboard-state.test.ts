import { describe, expect, it } from 'vitest';
import { DashboardState } from '../../src/dashboard/dashboard-state.js';
import type { DashboardUpdate } from '../../src/dashboard/dashboard-view.js';
import { DIAMOND, progress } from './fake-runtime.js';

const LIMITS = { maxTextChars: 20, maxQueries: 2, maxErrors: 3, maxRuns: 2 };

function stateWith(limits = LIMITS): DashboardState {
  let now = 1_000;
  return new DashboardState(limits, { now: () => now++ });
}

function ofType<T extends DashboardUpdate['type']>(
  updates: DashboardUpdate[],
  type: T,
): Extract<DashboardUpdate, { type: T }>[] {
  return updates.filter((u): u is Extract<DashboardUpdate, { type: T }> => u.type === type);
}

describe('DashboardState', () => {
  it('lays the tasks of a run out by depth and follows their progress', () => {
    const state = stateWith();
    state.addRun('run-1', DIAMOND.tasks, 'diamond');
    state.applyTaskEvent(progress.queued('a'));
    state.applyTaskEvent(progress.started('a'));
    const [run] = state.snapshot().runs;
    expect(run?.name).toBe('diamond');
    expect(run?.tasks.map((t) => [t.id, t.depth, t.status])).toEqual([
      ['a', 0, 'running'],
      ['b', 1, 'waiting'],
      ['c', 1, 'waiting'],
      ['d', 2, 'waiting'],
    ]);
    expect(run?.tasks[0]).toMatchObject({ attempts: 1, workerId: 'worker-1', queryId: 'q-a' });
    state.applyTaskEvent(progress.succeeded('a', 0.5));
    state.applyTaskEvent(progress.failed('b', 'it broke'));
    state.applyTaskEvent(progress.skipped('d', 'b'));
    state.endRun('run-1');
    const after = state.snapshot().runs[0]!;
    expect(after.done).toBe(true);
    expect(after.tasks.map((t) => t.status)).toEqual(['succeeded', 'failed', 'waiting', 'skipped']);
    expect(after.tasks[0]).toMatchObject({ costUsd: 0.5, durationMs: 1200 });
    expect(after.tasks[1]?.note).toBe('it broke');
    expect(after.tasks[3]?.note).toMatch(/b did not succeed/);
    expect(state.snapshot().errors.map((e) => e.source)).toEqual(['task b']);
  });

  it('gathers many changes of one thing into one update per drain', () => {
    const state = stateWith();
    let changes = 0;
    state.onChange(() => changes++);
    state.addRun('run-1', DIAMOND.tasks);
    state.applyTaskEvent(progress.queued('a'));
    state.applyTaskEvent(progress.started('a'));
    state.appendText('q-a', 'one ');
    state.appendText('q-a', 'two');
    const updates = state.drain();
    expect(changes).toBe(5);
    expect(updates.map((u) => u.type)).toEqual(['run', 'text']);
    expect(ofType(updates, 'text')[0]?.text).toMatchObject({ text: 'one two', taskId: 'a' });
    expect(state.drain()).toEqual([]);
  });

  it('keeps the newest maxTextChars of a text and counts what it dropped', () => {
    const state = stateWith();
    state.appendText('q', '0123456789');
    state.appendText('q', 'abcdefghijklmnopqrst');
    const [text] = state.snapshot().texts;
    expect(text).toMatchObject({ text: 'abcdefghijklmnopqrst', droppedChars: 10, done: false });
  });

  it('drops the oldest finished query past maxQueries and says which', () => {
    const state = stateWith();
    state.appendText('q1', 'first');
    state.appendText('q2', 'second');
    state.endText('q2');
    state.drain();
    state.appendText('q3', 'third');
    expect(state.snapshot().texts.map((t) => t.queryId)).toEqual(['q1', 'q3']);
    expect(ofType(state.drain(), 'texts.dropped')[0]?.queryIds).toEqual(['q2']);
  });

  it('keeps the last maxErrors errors, numbered, and counts the dropped ones', () => {
    const state = stateWith();
    for (const n of [1, 2, 3, 4, 5]) state.addError(`task t${n}`, new Error(`failure ${n}`));
    const snapshot = state.snapshot();
    expect(snapshot.errors.map((e) => [e.seq, e.message])).toEqual([
      [3, 'failure 3'],
      [4, 'failure 4'],
      [5, 'failure 5'],
    ]);
    expect(snapshot.errorsDropped).toBe(2);
  });

  it('keeps the last maxRuns runs and says which it dropped', () => {
    const state = stateWith();
    for (const id of ['r1', 'r2', 'r3']) state.addRun(id, [{ id: 'x' }]);
    expect(state.snapshot().runs.map((r) => r.runId)).toEqual(['r2', 'r3']);
    const updates = state.drain();
    expect(ofType(updates, 'runs.dropped')).toEqual([{ type: 'runs.dropped', runIds: ['r1'] }]);
    expect(ofType(updates, 'run').map((u) => u.run.runId)).toEqual(['r2', 'r3']);
  });

  it('redacts secrets in text (even one cut by the buffer edge), errors and the tree', () => {
    const state = stateWith({ ...LIMITS, maxTextChars: 40 });
    const key = 'sk-ant-api03-SECRETSECRETSECRET';
    // The key straddles the front of the kept text: redacted before it is cut.
    state.appendText('q', `${'x'.repeat(300)}${key} and then some words`);
    state.appendText('q', ' more');
    state.addError(`task ${key}`, new Error(`failed with ${key}`));
    state.setTree({
      id: 'root',
      kind: 'worker',
      status: 'running',
      actorId: 'root',
      restarts: 0,
      state: { apiKey: key },
    });
    const text = JSON.stringify(state.snapshot());
    expect(text).not.toContain('SECRETSECRET');
    expect(text).not.toContain('SECRET');
    expect(state.snapshot().errors[0]?.message).toBe('failed with [redacted]');
  });

  it('ignores events of runs it does not show', () => {
    const state = stateWith();
    state.applyTaskEvent(progress.started('a'));
    expect(state.snapshot().runs).toEqual([]);
    expect(state.drain()).toEqual([]);
  });
});
