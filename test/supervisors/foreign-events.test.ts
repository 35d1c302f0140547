import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { type AnyActorRef, createMachine, enqueueActions } from 'xstate';
import type { ChildSpec } from '../../src/supervisors/types.js';
import { settle, startSupervisor, startsOf } from './fixtures/harness.js';

// A supervisor's mailbox gets whatever its children send it (`sendParent`), not only its own
// calls and timers: those keep the `@supervisor.` namespace (as `@supervisor.shutdown` does), so
// a child's own UPPER_CASE commands, whatever they are called, are no concern of its supervisor.
const CHILD_COMMANDS = [
  ['INIT', { type: 'INIT' }],
  [
    'CALL (a valid call)',
    { type: 'CALL', requestId: 'r1', call: { kind: 'delete_child', id: 'other' } },
  ],
  ['CALL (no payload)', { type: 'CALL' }],
  ['TIMER (a valid timer)', { type: 'TIMER', timer: 't1', kind: 'restart', failedId: 'other' }],
  ['TIMER (no payload)', { type: 'TIMER' }],
  ['REPLY', { type: 'REPLY' }],
] as const;

/** A child that sends its parent the given event on its first start (only), then stays up. */
function chatty(event: { type: string }) {
  let sent = false;
  return createMachine({
    entry: enqueueActions(({ enqueue }) => {
      if (sent) return;
      sent = true;
      enqueue.sendParent(event);
    }),
    initial: 'up',
    states: { up: {} },
  });
}

describe('events a child sends its supervisor', () => {
  beforeEach(() => {
    vi.useFakeTimers();
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it.each(
    CHILD_COMMANDS,
  )('ignores a child sending it %s, starting every child once', async (_what, event) => {
    const logic = chatty(event);
    const specs: ChildSpec[] = [
      { id: 'other', start: () => createMachine({}) },
      { id: 'chatty', start: () => logic },
    ];
    const { actor, client, events, errors } = startSupervisor(
      { strategy: 'one_for_one', intensity: 1, period: 5 },
      specs,
    );
    await settle(1_000);
    expect(errors).toEqual([]);
    expect(actor.getSnapshot().status).toBe('active');
    expect(startsOf(events).map((ref: AnyActorRef) => ref.id)).toHaveLength(2);
    expect(client.whichChildren().map((c) => c.id)).toEqual(['chatty', 'other']);
    expect(client.countChildren()).toMatchObject({ specs: 2, active: 2 });
    expect(events.filter((e) => e.type !== 'child.started')).toEqual([]);
    actor.stop();
  });
});
