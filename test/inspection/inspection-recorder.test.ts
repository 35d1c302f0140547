import { describe, expect, it } from 'vitest';
import { createActor, type InspectionEvent } from 'xstate';
import { InvalidOptionsError } from '../../src/core/validation/invalid-options-error.js';
import { createInspectionRecorder } from '../../src/inspection/inspection-recorder.js';
import { treeMachine } from './fixtures/tree.js';

type SnapshotEvent = Extract<InspectionEvent, { type: '@xstate.snapshot' }>;

describe('createInspectionRecorder', () => {
  it('records every actor of a tree with its parent; the root has none', () => {
    const recorder = createInspectionRecorder();
    const root = createActor(treeMachine, { inspect: recorder.inspect }).start();
    const a = root.getSnapshot().children.a!;
    const b = root.getSnapshot().children.b!;
    const gc = a.getSnapshot().children.gc!;

    const byId = new Map(recorder.actors().map((actor) => [actor.id, actor]));
    expect([...byId.keys()].sort()).toEqual([root.id, 'a', 'b', 'gc'].sort());
    expect(byId.get(root.id)).toMatchObject({
      sessionId: root.sessionId,
      parentSessionId: undefined,
      logic: 'root',
      status: 'active',
    });
    expect(byId.get('a')).toMatchObject({
      sessionId: a.sessionId,
      parentSessionId: root.sessionId,
      logic: 'childA',
    });
    expect(byId.get('b')).toMatchObject({
      sessionId: b.sessionId,
      parentSessionId: root.sessionId,
      logic: 'childB',
    });
    expect(byId.get('gc')).toMatchObject({
      sessionId: gc.sessionId,
      parentSessionId: a.sessionId,
      logic: 'grandchild',
    });
    root.stop();
  });

  it('reports a sane snapshot stream: init first, then the event, then the stop', () => {
    const recorder = createInspectionRecorder();
    const root = createActor(treeMachine, { inspect: recorder.inspect }).start();
    root.send({ type: 'PING' });
    root.stop();

    const events = recorder.events;
    const snapshots = events.filter(
      (e): e is SnapshotEvent => e.type === '@xstate.snapshot' && e.actorRef === root,
    );
    expect(snapshots.map((s) => [s.event.type, s.snapshot.status])).toEqual([
      ['xstate.init', 'active'],
      ['PING', 'active'],
      ['xstate.stop', 'stopped'],
    ]);
    expect((snapshots[1]!.snapshot as { value?: unknown }).value).toBe('pinged');
    // Every actor is registered before any snapshot of it is reported.
    for (const actor of recorder.actors()) {
      const registered = events.findIndex(
        (e) => e.type === '@xstate.actor' && e.actorRef.sessionId === actor.sessionId,
      );
      const firstSnapshot = events.findIndex(
        (e) => e.type === '@xstate.snapshot' && e.actorRef.sessionId === actor.sessionId,
      );
      expect(registered).toBeGreaterThanOrEqual(0);
      expect(firstSnapshot).toBeGreaterThan(registered);
    }
    expect(
      events.some(
        (e) => e.type === '@xstate.event' && e.event.type === 'PING' && e.actorRef === root,
      ),
    ).toBe(true);
    expect(recorder.actors().map((actor) => actor.status)).toEqual([
      'stopped',
      'stopped',
      'stopped',
      'stopped',
    ]);
  });

  it('keeps at most maxEvents events, dropping the oldest', () => {
    const recorder = createInspectionRecorder({ maxEvents: 3 });
    const root = createActor(treeMachine, { inspect: recorder.inspect }).start();
    root.send({ type: 'PING' });
    root.stop();
    expect(recorder.events).toHaveLength(3);
    expect(recorder.events.at(-1)).toMatchObject({ type: '@xstate.snapshot', actorRef: root });
    expect(recorder.actors()).toHaveLength(4);
  });

  it.each([
    [{ maxEvents: -1 }, 'Invalid recorder option `maxEvents`'],
    [{ maxEvents: 1.5 }, 'Invalid recorder option `maxEvents`'],
    [{ maxEvent: 3 }, 'Invalid recorder option `maxEvent`: unknown key'],
  ])('rejects %o', (options, message) => {
    expect(() => createInspectionRecorder(options as never)).toThrow(InvalidOptionsError);
    expect(() => createInspectionRecorder(options as never)).toThrow(message);
  });
});
