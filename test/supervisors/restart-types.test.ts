import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { ExitReason, RestartType } from '../../src/supervisors/types.js';
import {
  crashed,
  exitsOf,
  idsOf,
  refOf,
  settle,
  spec,
  startSupervisor,
  viewOf,
} from './fixtures/harness.js';
import type { WorkerEvent } from './fixtures/worker.js';

type Ending = 'normal' | 'shutdown' | 'abnormal';

const endings: Record<Ending, { event: WorkerEvent; reason: ExitReason | typeof crashed }> = {
  normal: { event: { type: 'FINISH' }, reason: 'normal' },
  shutdown: { event: { type: 'FINISH', output: { exitReason: 'shutdown' } }, reason: 'shutdown' },
  abnormal: { event: { type: 'CRASH' }, reason: crashed },
};

describe('restart types', () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  it.each<[RestartType, Ending, boolean]>([
    ['permanent', 'normal', true],
    ['permanent', 'shutdown', true],
    ['permanent', 'abnormal', true],
    ['transient', 'normal', false],
    ['transient', 'shutdown', false],
    ['transient', 'abnormal', true],
    ['temporary', 'normal', false],
    ['temporary', 'shutdown', false],
    ['temporary', 'abnormal', false],
  ])('a %s child exiting with reason %s is restarted: %s', async (restart, ending, again) => {
    const { actor, client, events } = startSupervisor({ intensity: 5 }, [
      spec('a'),
      spec('b', { restart }),
    ]);
    await settle();
    const a = refOf(client, 'a');
    const b = refOf(client, 'b');
    b.send(endings[ending].event);
    await settle();
    expect(exitsOf(events, 'b')).toEqual([
      { id: 'b', reason: endings[ending].reason, restart: again },
    ]);
    expect(refOf(client, 'a')).toBe(a);
    expect(actor.getSnapshot().status).toBe('active');
    if (again) {
      const next = refOf(client, 'b');
      expect(next).not.toBe(b);
      expect(next.getSnapshot().status).toBe('active');
    } else if (restart === 'temporary') {
      expect(viewOf(client, 'b')).toBe('absent');
    } else {
      expect(viewOf(client, 'b')).toBeUndefined();
    }
  });

  it('removes the spec of a temporary child when it exits', async () => {
    const { client } = startSupervisor({}, [spec('a'), spec('t', { restart: 'temporary' })]);
    await settle();
    refOf(client, 't').send({ type: 'CRASH' });
    await settle();
    expect(idsOf(client)).toEqual(['a']);
    expect(client.countChildren()).toEqual({ specs: 1, active: 1, supervisors: 0, workers: 1 });
    expect(await client.restartChild('t')).toEqual({
      ok: false,
      error: { kind: 'not_found', id: 't' },
    });
  });

  it('keeps the spec of a transient child that exited normally, to restart it', async () => {
    const { client } = startSupervisor({}, [spec('t', { restart: 'transient' })]);
    await settle();
    refOf(client, 't').send({ type: 'FINISH' });
    await settle();
    expect(client.countChildren()).toEqual({ specs: 1, active: 0, supervisors: 0, workers: 1 });
    const restarted = await client.restartChild('t');
    expect(restarted.ok).toBe(true);
    expect(refOf(client, 't').getSnapshot().status).toBe('active');
  });

  it.each<[ExitReason, boolean]>([
    ['killed', true],
    [{ abnormal: 'oops' }, true],
    ['shutdown', false],
    ['normal', false],
  ])('restarts a transient child whose exitReason maps its end to %j: %s', async (reason, yes) => {
    const { client, events } = startSupervisor({}, [
      spec('t', { restart: 'transient', exitReason: () => reason }),
    ]);
    await settle();
    refOf(client, 't').send({ type: 'FINISH' });
    await settle();
    expect(exitsOf(events, 't')).toEqual([{ id: 't', reason, restart: yes }]);
  });

  it('maps how a child ended with its own exitReason function', async () => {
    const { client, events } = startSupervisor({}, [
      spec('t', {
        restart: 'transient',
        exitReason: (end) => (end.status === 'done' ? { abnormal: end.output } : 'normal'),
      }),
    ]);
    await settle();
    const before = refOf(client, 't');
    before.send({ type: 'FINISH', output: 'bad result' });
    await settle();
    expect(exitsOf(events, 't')).toEqual([
      { id: 't', reason: { abnormal: 'bad result' }, restart: true },
    ]);
    expect(refOf(client, 't')).not.toBe(before);
    refOf(client, 't').send({ type: 'CRASH' });
    await settle();
    expect(exitsOf(events, 't')[1]).toEqual({ id: 't', reason: 'normal', restart: false });
    expect(viewOf(client, 't')).toBeUndefined();
  });
});
