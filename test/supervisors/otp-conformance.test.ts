import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { refOf, settle, spec, startedRef, startSupervisor, viewOf } from './fixtures/harness.js';
import { StartProbe } from './fixtures/start-probe.js';

// Cases of OTP's supervisor_SUITE on the dynamic API that the other files do not cover, named
// after the OTP test case they mirror. A child in a failing restart loop (its start throws) is
// OTP's `{restarting, Pid}`.

const loopFlags = { intensity: 100, period: 3_600 } as const;

describe('OTP supervisor_SUITE: dynamic API answers', () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  async function restarting() {
    const probe = new StartProbe();
    const harness = startSupervisor(loopFlags, [spec('a'), { id: 'b', start: probe.start }]);
    await settle();
    probe.mode = 'throw';
    refOf(harness.client, 'b').send({ type: 'CRASH' });
    await settle();
    expect(viewOf(harness.client, 'b')).toBe('restarting');
    return { ...harness, probe };
  }

  it('child_adm: start_child with the id of a restarting child answers already_present', async () => {
    const { client, probe } = await restarting();
    expect(await client.startChild({ id: 'b', start: probe.start })).toEqual({
      ok: false,
      error: { kind: 'already_present', id: 'b' },
    });
    expect(viewOf(client, 'b')).toBe('restarting');
  });

  it('count_restarting_children: terminate_child of a restarting child keeps its spec, no actor', async () => {
    const { client, probe } = await restarting();
    expect(client.countChildren()).toEqual({ specs: 2, active: 1, supervisors: 0, workers: 2 });
    expect(await client.terminateChild('b')).toEqual({ ok: true });
    expect(await client.terminateChild('b')).toEqual({ ok: true });
    expect(viewOf(client, 'b')).toBeUndefined();
    expect(client.countChildren()).toEqual({ specs: 2, active: 1, supervisors: 0, workers: 2 });
    const calls = probe.calls;
    await settle(60_000);
    expect(probe.calls).toBe(calls);
  });

  it('sup_start_ignore_permanent_child_start_child: restart_child answers ok, undefined on ignore', async () => {
    const { client, probe } = await restarting();
    await client.terminateChild('b');
    probe.mode = 'ignore';
    expect(await client.restartChild('b')).toEqual({ ok: true, value: undefined });
    expect(viewOf(client, 'b')).toBeUndefined();
    probe.mode = 'ok';
    const result = await client.restartChild('b');
    expect(result).toEqual({ ok: true, value: refOf(client, 'b') });
  });

  it('count_restarting_children (simple_one_for_one): restarting children count as workers, not active', async () => {
    const probe = new StartProbe();
    const { client } = startSupervisor({ strategy: 'simple_one_for_one', ...loopFlags }, [
      { id: 'w', start: probe.start },
    ]);
    const first = startedRef(await client.startChild([1]))!;
    startedRef(await client.startChild([2]));
    probe.mode = 'throw';
    first.send({ type: 'CRASH' });
    await settle();
    expect(client.whichChildren().map((row) => row.child === 'restarting')).toEqual([false, true]);
    expect(client.countChildren()).toEqual({ specs: 1, active: 1, supervisors: 0, workers: 2 });
    expect(await client.terminateChild(first)).toEqual({ ok: true });
    expect(client.countChildren()).toEqual({ specs: 1, active: 1, supervisors: 0, workers: 1 });
  });

  it('child_adm_simple: terminate_child of an actor of another supervisor answers not_found', async () => {
    const { client } = startSupervisor({ strategy: 'simple_one_for_one' }, [spec('w')]);
    const other = startSupervisor({}, [spec('x')]);
    await settle();
    const foreign = refOf(other.client, 'x');
    expect(await client.terminateChild(foreign)).toEqual({
      ok: false,
      error: { kind: 'not_found', id: 'x' },
    });
    expect(foreign.getSnapshot().status).toBe('active');
  });
});
