import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { InspectionEvent } from 'xstate';
import { DashboardState } from '../../src/dashboard/dashboard-state.js';
import { watchRuntime } from '../../src/dashboard/watch-runtime.js';
import { assistant, createFakeRuntime, delta, type FakeRuntime } from './fake-runtime.js';

const LIMITS = { maxTextChars: 1_000, maxQueries: 10, maxErrors: 10, maxRuns: 2 };

/** A query actor as inspection events show it: its snapshot holds its id and attempt. */
function queryActor(queryId: string, attempt: number, status = 'active', output?: unknown) {
  return { getSnapshot: () => ({ status, context: { queryId, attempt }, output }) };
}

function message(queryId: string, attempt: number, cliMessage: unknown): InspectionEvent {
  return {
    type: '@xstate.event',
    actorRef: queryActor(queryId, attempt),
    event: { type: 'claude.message', message: cliMessage },
  } as unknown as InspectionEvent;
}

function ended(queryId: string, output: unknown): InspectionEvent {
  return {
    type: '@xstate.snapshot',
    actorRef: queryActor(queryId, 1, 'done', output),
    snapshot: { status: 'done', context: { queryId, attempt: 1 }, output },
  } as unknown as InspectionEvent;
}

describe('watchRuntime', () => {
  let fake: FakeRuntime;
  let inspect: (event: InspectionEvent) => void;
  let state: DashboardState;
  let stop: () => void;
  let treeReads = 0;

  beforeEach(() => {
    vi.useFakeTimers();
    fake = createFakeRuntime();
    state = new DashboardState(LIMITS, { now: () => Date.now() });
    treeReads = 0;
    const root = {
      system: {
        inspect: (observer: (event: InspectionEvent) => void) => {
          inspect = observer;
          return { unsubscribe: () => {} };
        },
      },
    };
    const tree = fake.runtime.tree;
    stop = watchRuntime(
      {
        ...fake.runtime,
        tree: () => {
          treeReads += 1;
          return tree();
        },
        root: root as never,
      },
      state,
      500,
      100,
    );
  });
  afterEach(() => {
    stop();
    vi.useRealTimers();
  });

  it('gathers the text of each query from its CLI messages, marking a new attempt', () => {
    inspect(message('q1', 1, delta('Hel')));
    inspect(message('q1', 1, delta('lo')));
    // The whole message repeats the deltas: only its tool call is new.
    inspect(message('q1', 1, assistant('Hello', 'Read')));
    inspect(message('q1', 2, assistant('Again')));
    inspect(message('q2', 1, assistant('Other')));
    expect(state.snapshot().texts.map((t) => [t.queryId, t.text])).toEqual([
      ['q1', 'Hello\n[tool: Read]\n\n\n[attempt 2]\nAgain'],
      ['q2', 'Other'],
    ]);
  });

  it("lists a failed query's error and marks its text done", () => {
    inspect(message('q1', 1, assistant('partial')));
    inspect(ended('q1', { status: 'failed', error: new Error('overloaded') }));
    inspect(ended('q2', { status: 'succeeded' }));
    const snapshot = state.snapshot();
    expect(snapshot.errors.map((e) => [e.source, e.message])).toEqual([['query q1', 'overloaded']]);
    expect(snapshot.texts[0]).toMatchObject({ queryId: 'q1', done: true });
  });

  it("reads workers' states again at most every treeMs while actors change", () => {
    const before = treeReads;
    for (let i = 0; i < 50; i++) {
      inspect({ type: '@xstate.snapshot', snapshot: { status: 'active' } } as never);
    }
    expect(treeReads).toBe(before);
    vi.advanceTimersByTime(100);
    expect(treeReads).toBe(before + 1);
  });

  it('reads the system every pollMs and pushes it only when it changed', () => {
    let changes = 0;
    state.drain();
    state.onChange(() => changes++);
    vi.advanceTimersByTime(500);
    expect(changes).toBe(0);
    fake.limiter = { ...fake.limiter, inFlight: 1, queued: 4 };
    fake.running = 1;
    vi.advanceTimersByTime(500);
    expect(changes).toBe(1);
    expect(state.snapshot().system).toMatchObject({ running: 1, limiter: { queued: 4 } });
    stop();
    fake.running = 2;
    vi.advanceTimersByTime(2_000);
    expect(state.snapshot().system?.running).toBe(1);
  });
});
