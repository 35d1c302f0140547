import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createSupervisor } from '../../src/supervisors/create-supervisor.js';
import {
  exitsOf,
  idsOf,
  refOf,
  settle,
  spec,
  startSupervisor,
  startsOf,
  viewOf,
} from './fixtures/harness.js';
import { StartProbe } from './fixtures/start-probe.js';

describe('dynamic children', () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  describe('startChild', () => {
    it('starts a new child and lists it first', async () => {
      const { client, events } = startSupervisor({}, [spec('a')]);
      await settle();
      const result = await client.startChild(spec('b'));
      expect(result).toEqual({ ok: true, value: refOf(client, 'b') });
      expect(idsOf(client)).toEqual(['b', 'a']);
      expect(startsOf(events, 'b')).toEqual([refOf(client, 'b')]);
    });

    it('answers already_started with the child for the id of a running child', async () => {
      const { client } = startSupervisor({}, [spec('a')]);
      await settle();
      expect(await client.startChild(spec('a'))).toEqual({
        ok: false,
        error: { kind: 'already_started', id: 'a', child: refOf(client, 'a') },
      });
    });

    it('answers already_present for the id of a terminated child', async () => {
      const { client } = startSupervisor({}, [spec('a')]);
      await settle();
      await client.terminateChild('a');
      expect(await client.startChild(spec('a'))).toEqual({
        ok: false,
        error: { kind: 'already_present', id: 'a' },
      });
    });

    it('reports a start error with the failing spec and stores nothing', async () => {
      const probe = new StartProbe();
      probe.mode = 'throw';
      const { client } = startSupervisor({}, [spec('a')]);
      await settle();
      expect(await client.startChild({ id: 'b', start: probe.start })).toEqual({
        ok: false,
        error: { kind: 'start_failed', id: 'b', error: expect.any(Error) },
      });
      expect(idsOf(client)).toEqual(['a']);
      probe.mode = 'ok';
      expect((await client.startChild({ id: 'b', start: probe.start })).ok).toBe(true);
    });

    it('keeps a permanent child whose start returns ignore, with no actor', async () => {
      const probe = new StartProbe();
      probe.mode = 'ignore';
      const { client } = startSupervisor({}, []);
      await settle();
      expect(await client.startChild({ id: 'b', start: probe.start })).toEqual({
        ok: true,
        value: undefined,
      });
      expect(client.whichChildren()).toEqual([{ id: 'b', child: undefined, type: 'worker' }]);
    });

    it('does not keep a temporary child whose start returns ignore', async () => {
      const probe = new StartProbe();
      probe.mode = 'ignore';
      const { client } = startSupervisor({}, []);
      await settle();
      const result = await client.startChild({
        id: 'b',
        start: probe.start,
        restart: 'temporary',
      });
      expect(result).toEqual({ ok: true, value: undefined });
      expect(client.whichChildren()).toEqual([]);
    });

    it('rejects an invalid spec without throwing', async () => {
      const { client } = startSupervisor({}, [spec('a')]);
      await settle();
      const result = await client.startChild({
        id: 'b',
        start: () => 'ignore',
        restart: 'x',
      } as never);
      expect(result.ok).toBe(false);
      expect(idsOf(client)).toEqual(['a']);
    });

    it('restarts a dynamically started permanent child like the others', async () => {
      const { client } = startSupervisor({}, [spec('a')]);
      await settle();
      await client.startChild(spec('b'));
      const b = refOf(client, 'b');
      b.send({ type: 'CRASH' });
      await settle();
      expect(refOf(client, 'b')).not.toBe(b);
    });
  });

  describe('terminateChild', () => {
    it('stops the child and keeps its spec, without restarting it', async () => {
      const { client, events } = startSupervisor({}, [spec('a'), spec('b')]);
      await settle();
      const a = refOf(client, 'a');
      expect(await client.terminateChild('a')).toEqual({ ok: true });
      expect(a.getSnapshot().status).toBe('stopped');
      expect(viewOf(client, 'a')).toBeUndefined();
      expect(exitsOf(events, 'a')).toEqual([{ id: 'a', reason: 'shutdown', restart: false }]);
      expect(startsOf(events, 'a')).toHaveLength(1);
    });

    it('is idempotent', async () => {
      const { client } = startSupervisor({}, [spec('a')]);
      await settle();
      expect(await client.terminateChild('a')).toEqual({ ok: true });
      expect(await client.terminateChild('a')).toEqual({ ok: true });
    });

    it('terminates by reference only under simple_one_for_one', async () => {
      const { client } = startSupervisor({}, [spec('a')]);
      await settle();
      const a = refOf(client, 'a');
      expect(await client.terminateChild(a)).toEqual({
        ok: false,
        error: { kind: 'not_found', id: a.id },
      });
      expect(a.getSnapshot().status).toBe('active');
      expect(refOf(client, 'a')).toBe(a);
    });

    it('answers not_found for an unknown id', async () => {
      const { client } = startSupervisor({}, [spec('a')]);
      await settle();
      expect(await client.terminateChild('zz')).toEqual({
        ok: false,
        error: { kind: 'not_found', id: 'zz' },
      });
    });

    it('deletes the spec of a temporary child', async () => {
      const { client } = startSupervisor({}, [spec('a'), spec('t', { restart: 'temporary' })]);
      await settle();
      expect(await client.terminateChild('t')).toEqual({ ok: true });
      expect(idsOf(client)).toEqual(['a']);
    });

    it('does not count against intensity', async () => {
      const { actor, client } = startSupervisor({ intensity: 0 }, [spec('a')]);
      await settle();
      await client.terminateChild('a');
      await client.restartChild('a');
      await client.terminateChild('a');
      expect(actor.getSnapshot().status).toBe('active');
    });
  });

  describe('restartChild', () => {
    it('starts a terminated child again with a new actor', async () => {
      const { client } = startSupervisor({}, [spec('a')]);
      await settle();
      const before = refOf(client, 'a');
      await client.terminateChild('a');
      const result = await client.restartChild('a');
      expect(result).toEqual({ ok: true, value: refOf(client, 'a') });
      expect(refOf(client, 'a')).not.toBe(before);
    });

    it('answers running for a running child', async () => {
      const { client } = startSupervisor({}, [spec('a')]);
      await settle();
      expect(await client.restartChild('a')).toEqual({
        ok: false,
        error: { kind: 'running', id: 'a' },
      });
    });

    it('answers not_found for an unknown id', async () => {
      const { client } = startSupervisor({}, []);
      await settle();
      expect(await client.restartChild('a')).toEqual({
        ok: false,
        error: { kind: 'not_found', id: 'a' },
      });
    });

    it('answers the start error and leaves the child terminated', async () => {
      const probe = new StartProbe();
      const { client } = startSupervisor({}, [{ id: 'a', start: probe.start }]);
      await settle();
      await client.terminateChild('a');
      probe.mode = 'throw';
      expect(await client.restartChild('a')).toEqual({
        ok: false,
        error: { kind: 'start_failed', id: 'a', error: expect.any(Error) },
      });
      expect(viewOf(client, 'a')).toBeUndefined();
    });

    it('keeps the child with no actor when its start returns ignore', async () => {
      const probe = new StartProbe();
      const { client } = startSupervisor({}, [{ id: 'a', start: probe.start }]);
      await settle();
      await client.terminateChild('a');
      probe.mode = 'ignore';
      expect(await client.restartChild('a')).toEqual({ ok: true, value: undefined });
      expect(viewOf(client, 'a')).toBeUndefined();
    });
  });

  describe('deleteChild', () => {
    it('removes a terminated child', async () => {
      const { client } = startSupervisor({}, [spec('a'), spec('b')]);
      await settle();
      await client.terminateChild('a');
      expect(await client.deleteChild('a')).toEqual({ ok: true });
      expect(idsOf(client)).toEqual(['b']);
      expect((await client.startChild(spec('a'))).ok).toBe(true);
    });

    it('answers running for a running child', async () => {
      const { client } = startSupervisor({}, [spec('a')]);
      await settle();
      expect(await client.deleteChild('a')).toEqual({
        ok: false,
        error: { kind: 'running', id: 'a' },
      });
    });

    it('answers not_found for an unknown id', async () => {
      const { client } = startSupervisor({}, []);
      await settle();
      expect(await client.deleteChild('a')).toEqual({
        ok: false,
        error: { kind: 'not_found', id: 'a' },
      });
    });
  });

  describe('whichChildren and countChildren', () => {
    it('list children in reverse start order, dynamic ones included', async () => {
      const { client } = startSupervisor({}, [spec('a'), spec('b')]);
      await settle();
      await client.startChild(spec('c'));
      await client.startChild(spec('d'));
      expect(idsOf(client)).toEqual(['d', 'c', 'b', 'a']);
    });

    it('count specs, active children, supervisors and workers', async () => {
      const { client } = startSupervisor({}, [
        spec('w1'),
        spec('w2'),
        { id: 's1', type: 'supervisor', start: () => createSupervisor({}, []) },
        { id: 's2', type: 'supervisor', start: () => createSupervisor({}, []) },
      ]);
      await settle();
      expect(client.countChildren()).toEqual({ specs: 4, active: 4, supervisors: 2, workers: 2 });
      await client.terminateChild('w1');
      await client.terminateChild('s1');
      expect(client.countChildren()).toEqual({ specs: 4, active: 2, supervisors: 2, workers: 2 });
      const types = Object.fromEntries(client.whichChildren().map((i) => [i.id, i.type]));
      expect(types).toEqual({ w1: 'worker', w2: 'worker', s1: 'supervisor', s2: 'supervisor' });
    });
  });

  describe('a child in a failing restart loop', () => {
    const flags = { intensity: 100, period: 3_600 } as const;

    async function restartLoop() {
      const probe = new StartProbe();
      const harness = startSupervisor(flags, [spec('a'), { id: 'b', start: probe.start }]);
      await settle();
      probe.mode = 'throw';
      refOf(harness.client, 'b').send({ type: 'CRASH' });
      await settle();
      return { ...harness, probe };
    }

    it('shows as restarting and is not counted as active', async () => {
      const { client, probe } = await restartLoop();
      expect(viewOf(client, 'b')).toBe('restarting');
      expect(client.countChildren()).toEqual({ specs: 2, active: 1, supervisors: 0, workers: 2 });
      expect(probe.calls).toBeGreaterThanOrEqual(2);
    });

    it('retries the start on a schedule, not in a tight loop', async () => {
      const { probe } = await restartLoop();
      const calls = probe.calls;
      expect(calls).toBeLessThan(5);
      await settle(10_000);
      expect(probe.calls).toBeGreaterThan(calls);
    });

    it('emits child.start_failed for each failed attempt', async () => {
      const { events, probe } = await restartLoop();
      const failed = events.filter((e) => e.type === 'child.start_failed');
      expect(failed.length).toBe(probe.calls - 1);
      expect(failed[0]).toEqual({ type: 'child.start_failed', id: 'b', error: expect.any(Error) });
    });

    it('can be terminated, which ends the retries', async () => {
      const { client, probe } = await restartLoop();
      expect(await client.terminateChild('b')).toEqual({ ok: true });
      expect(viewOf(client, 'b')).toBeUndefined();
      const calls = probe.calls;
      await settle(60_000);
      expect(probe.calls).toBe(calls);
    });

    it('answers restarting to restartChild and deleteChild', async () => {
      const { client } = await restartLoop();
      for (const call of ['restartChild', 'deleteChild'] as const) {
        expect(await client[call]('b')).toEqual({
          ok: false,
          error: { kind: 'restarting', id: 'b' },
        });
      }
    });

    it('starts normally once its start succeeds again', async () => {
      const { client, probe } = await restartLoop();
      probe.mode = 'ok';
      await settle(10_000);
      expect(refOf(client, 'b').getSnapshot().status).toBe('active');
    });

    it('does not hang the supervisor shutdown', async () => {
      const { actor, client, probe } = await restartLoop();
      const stopped = client.stop();
      await settle();
      await stopped;
      const calls = probe.calls;
      await settle(60_000);
      expect(probe.calls).toBe(calls);
      expect(actor.getSnapshot().status).toBe('done');
    });

    it('ends in escalation when the child can never start', async () => {
      const probe = new StartProbe();
      const { actor, client } = startSupervisor({ intensity: 3, period: 3_600 }, [
        { id: 'b', start: probe.start },
      ]);
      await settle();
      probe.mode = 'throw';
      refOf(client, 'b').send({ type: 'CRASH' });
      await settle(60_000);
      expect(actor.getSnapshot().status).toBe('done');
      expect(actor.getSnapshot().output).toEqual({ exitReason: 'shutdown', cause: 'intensity' });
      // Every retry counted: the first restart and two retries fit in intensity 3.
      expect(probe.calls).toBe(1 + 3);
    });
  });
});
