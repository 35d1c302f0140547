import { describe, expect, it } from 'vitest';
import { type AnyActorRef, createActor, fromCallback } from 'xstate';
import { RUNTIME_SYSTEM_IDS } from '../../src/runtime/runtime-tree.js';
import { SystemRefs } from '../../src/runtime/system-refs.js';
import { createSupervisor } from '../../src/supervisors/create-supervisor.js';
import { supervisorClient } from '../../src/supervisors/supervisor-client.js';

/** A worker that crashes on `CRASH`. */
const crashing = fromCallback<{ type: string }>(({ receive }) => {
  receive((event) => {
    if (event.type === 'CRASH') throw new Error('boom');
  });
});

/** A supervisor with a `limiter` child registered under the runtime's limiter systemId. */
function supervised() {
  const root = createActor(
    createSupervisor({ strategy: 'one_for_one', intensity: 5, period: 10 }, [
      { id: 'limiter', start: () => ({ logic: crashing, systemId: RUNTIME_SYSTEM_IDS.limiter }) },
    ]),
  );
  const refs = new SystemRefs();
  refs.bind(root.system);
  root.start();
  return { root, refs };
}

const tick = () => new Promise((resolve) => setImmediate(resolve));

describe('SystemRefs', () => {
  it('finds a supervised child by the systemId its start gave it', () => {
    const { root, refs } = supervised();
    const [row] = supervisorClient(root).whichChildren();
    expect(refs.get('limiter')).toBe(row?.child);
    expect(refs.live('limiter')).toBe(row?.child);
    expect(refs.get('breaker')).toBeUndefined();
    root.stop();
  });

  it('returns the new actor once the supervisor restarted a crashed one', async () => {
    const { root, refs } = supervised();
    const before = refs.get('limiter') as AnyActorRef;
    before.send({ type: 'CRASH' });
    await tick();
    const after = refs.get('limiter');
    expect(before.getSnapshot().status).toBe('error');
    expect(after).toBeDefined();
    expect(after).not.toBe(before);
    expect(after?.getSnapshot().status).toBe('active');
    expect(after).toBe(supervisorClient(root).whichChildren()[0]?.child);
    root.stop();
  });

  it('makes one client per actor, and a new one for a restarted actor', async () => {
    const { root, refs } = supervised();
    const make = (ref: AnyActorRef) => ({ ref });
    const first = refs.client('limiter', make);
    expect(refs.client('limiter', make)).toBe(first);
    (first?.ref as AnyActorRef).send({ type: 'CRASH' });
    await tick();
    const second = refs.client('limiter', make);
    expect(second).not.toBe(first);
    expect(second?.ref).toBe(refs.live('limiter'));
    root.stop();
  });

  it('after the actor stopped, live() has none and get() the last one seen', async () => {
    const { root, refs } = supervised();
    refs.retain();
    const last = refs.live('limiter');
    await supervisorClient(root).stop();
    expect(refs.live('limiter')).toBeUndefined();
    expect(refs.get('limiter')).toBe(last);
  });

  it('finds nothing before it is bound to a system', () => {
    expect(new SystemRefs().get('limiter')).toBeUndefined();
  });
});
