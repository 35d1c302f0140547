import type { StatelyActorEvent, StatelyInspectionEvent } from '@statelyai/inspect';
import { afterEach, describe, expect, it } from 'vitest';
import { type AnyActorRef, createActor, createMachine, type InspectionEvent } from 'xstate';
import { exposeInspector } from '../../src/inspection/expose-inspector.js';
import { createInspectionRecorder } from '../../src/inspection/inspection-recorder.js';
import { createSupervisor } from '../../src/supervisors/create-supervisor.js';
import { supervisorClient } from '../../src/supervisors/supervisor-client.js';
import { connect } from './fixtures/raw-client.js';
import { until } from './fixtures/tree.js';

const idle = createMachine({ id: 'idle-worker' });

const cleanups: Array<() => unknown> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

/** The actor of child `id` of a running supervisor, once it has one. */
function childOf(supervisor: AnyActorRef, id: string): AnyActorRef | undefined {
  const child = supervisorClient(supervisor)
    .whichChildren()
    .find((info) => info.id === id)?.child;
  return typeof child === 'object' ? child : undefined;
}

describe('inspecting a supervisor tree', () => {
  it('shows each supervised actor under its supervisor, in process and over the wire', async () => {
    const recorder = createInspectionRecorder();
    const exposed = await exposeInspector();
    cleanups.push(() => exposed.close());
    const client = await connect(exposed.url);
    const inspect = {
      next(event: InspectionEvent) {
        recorder.inspect.next?.(event);
        exposed.inspect.next?.(event);
      },
    };

    const childSupervisor = createSupervisor({}, [{ id: 'inner', start: () => idle }]);
    const root = createActor(
      createSupervisor({}, [
        { id: 'outer', start: () => idle, type: 'worker' },
        { id: 'sub', start: () => childSupervisor, type: 'supervisor' },
      ]),
      { inspect },
    ).start();
    cleanups.push(() => root.stop());

    let outer: AnyActorRef | undefined;
    let sub: AnyActorRef | undefined;
    let inner: AnyActorRef | undefined;
    await until(() => {
      outer = childOf(root, 'outer');
      sub = childOf(root, 'sub');
      inner = sub && childOf(sub, 'inner');
      return inner !== undefined;
    }, 'the two-level tree to start');

    const parentOf = new Map(recorder.actors().map((a) => [a.sessionId, a.parentSessionId]));
    expect(parentOf.get(root.sessionId)).toBeUndefined();
    expect(parentOf.has(root.sessionId)).toBe(true);
    expect(parentOf.get(outer!.sessionId)).toBe(root.sessionId);
    expect(parentOf.get(sub!.sessionId)).toBe(root.sessionId);
    expect(parentOf.get(inner!.sessionId)).toBe(sub!.sessionId);

    const wireParent = () =>
      new Map(
        (client.messages as StatelyInspectionEvent[])
          .filter((e): e is StatelyActorEvent => e.type === '@xstate.actor')
          .map((e) => [e.sessionId, e.parentId]),
      );
    await until(() => wireParent().has(inner!.sessionId), 'the inner worker on the wire');
    expect(wireParent().get(outer!.sessionId)).toBe(root.sessionId);
    expect(wireParent().get(sub!.sessionId)).toBe(root.sessionId);
    expect(wireParent().get(inner!.sessionId)).toBe(sub!.sessionId);
    expect(wireParent().has(root.sessionId)).toBe(true);
  });
});
