import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createActor } from 'xstate';
import { createSupervisor } from '../../src/supervisors/create-supervisor.js';
import { supervisorClient } from '../../src/supervisors/supervisor-client.js';
import { settle, spec } from './fixtures/harness.js';

describe('a supervisor restored from its persisted snapshot', () => {
  beforeEach(() => {
    vi.useFakeTimers();
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it('starts its children again from its specs, as OTP restarts a supervisor', async () => {
    const logic = createSupervisor({ strategy: 'one_for_one' }, [spec('a'), spec('b')]);
    const first = createActor(logic).start();
    await settle();
    const persisted = first.getPersistedSnapshot();
    first.stop();
    expect(JSON.parse(JSON.stringify(persisted))).toMatchObject({
      status: 'active',
      context: { children: [{ id: 'a' }, { id: 'b' }] },
    });

    const errors: unknown[] = [];
    const restored = createActor(logic, { snapshot: persisted });
    restored.subscribe({ error: (error) => errors.push(error) });
    restored.start();
    await settle();
    expect(errors).toEqual([]);
    expect(restored.getSnapshot().status).toBe('active');
    const children = supervisorClient(restored).whichChildren();
    expect(children.map((c) => [c.id, c.child === undefined]).sort()).toEqual([
      ['a', false],
      ['b', false],
    ]);
    restored.stop();
  });

  it('stays finished when it was finished', async () => {
    const logic = createSupervisor({}, [spec('a')]);
    const first = createActor(logic).start();
    await settle();
    first.stop();
    const persisted = first.getPersistedSnapshot();
    const restored = createActor(logic, { snapshot: persisted }).start();
    await settle();
    expect(restored.getSnapshot().status).toBe(persisted.status);
    expect(restored.getSnapshot().status).not.toBe('active');
  });
});
