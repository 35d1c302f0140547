import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { RestartBackoffOptions } from '../../src/core/backoff/restart-backoff.js';
import type { SupervisorFlags } from '../../src/supervisors/types.js';
import {
  type Harness,
  refOf,
  settle,
  spec,
  startSupervisor,
  startsOf,
  viewOf,
} from './fixtures/harness.js';

const lenient = { intensity: 1_000, period: 3_600 } as const;

function flags(backoff: Partial<RestartBackoffOptions> = {}, random = () => 0): SupervisorFlags {
  return { ...lenient, random, backoff: { minMs: 100, maxMs: 1_000, ...backoff } };
}

/** Crashes child `id` and returns the delay the supervisor announced for its restart. */
async function crash({ client, events }: Harness, id: string): Promise<number> {
  const before = events.length;
  refOf(client, id).send({ type: 'CRASH' });
  await settle();
  const announced = events.slice(before).filter((e) => e.type === 'child.restarting');
  expect(announced).toHaveLength(1);
  const event = announced[0];
  return event?.type === 'child.restarting' && event.id === id ? event.delayMs : Number.NaN;
}

/** Crashes child `id` `times` times in a row, letting each restart happen, and returns delays. */
async function crashRepeatedly(harness: Harness, id: string, times: number): Promise<number[]> {
  const delays: number[] = [];
  for (let i = 0; i < times; i += 1) {
    const delay = await crash(harness, id);
    delays.push(delay);
    await settle(delay);
  }
  return delays;
}

describe('restart backoff', () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  it.each([
    [1, 100],
    [2, 200],
    [3, 400],
    [4, 800],
    [5, 1_000],
    [6, 1_000],
    [7, 1_000],
  ])('failure %i in a row waits %i ms (min 100, max 1000)', async (failures, expected) => {
    const harness = startSupervisor(flags(), [spec('a')]);
    await settle();
    const delays = await crashRepeatedly(harness, 'a', failures);
    expect(delays.at(-1)).toBe(expected);
  });

  it.each([
    [0.5, 0.5, 1, 125],
    [0.2, 0.5, 1, 110],
    [0.5, 0, 2, 200],
    [1, 0.25, 3, 500],
    [0.5, 0.5, 6, 1_250],
  ])('randomFactor %d, random() %d: failure %i waits %i ms', async (factor, x, failures, ms) => {
    const harness = startSupervisor(
      flags({ randomFactor: factor }, () => x),
      [spec('a')],
    );
    await settle();
    const delays = await crashRepeatedly(harness, 'a', failures);
    expect(delays.at(-1)).toBe(ms);
  });

  it('shows the child as restarting until the delay ends, then restarts it', async () => {
    const harness = startSupervisor(flags(), [spec('a'), spec('b')]);
    const { client, events } = harness;
    await settle();
    const before = refOf(client, 'a');
    await crashRepeatedly(harness, 'a', 2);
    const second = refOf(client, 'a');
    const delay = await crash(harness, 'a');
    expect(delay).toBe(400);
    expect(viewOf(client, 'a')).toBe('restarting');
    expect(client.countChildren()).toEqual({ specs: 2, active: 1, supervisors: 0, workers: 2 });
    await settle(399);
    expect(viewOf(client, 'a')).toBe('restarting');
    await settle(1);
    const after = refOf(client, 'a');
    expect([before, second]).not.toContain(after);
    expect(after.getSnapshot().status).toBe('active');
    expect(startsOf(events, 'a')).toHaveLength(4);
  });

  it('announces the exit as one to be restarted', async () => {
    const harness = startSupervisor(flags(), [spec('a')]);
    await settle();
    await crash(harness, 'a');
    expect(harness.events.filter((e) => e.type === 'child.exited')).toEqual([
      { type: 'child.exited', id: 'a', reason: { abnormal: expect.any(Error) }, restart: true },
    ]);
    expect(harness.events.at(-1)).toEqual({ type: 'child.restarting', id: 'a', delayMs: 100 });
  });

  it('starts again from minMs once the child has run for resetAfterMs', async () => {
    const harness = startSupervisor(flags({ resetAfterMs: 5_000 }), [spec('a')]);
    await settle();
    expect(await crashRepeatedly(harness, 'a', 3)).toEqual([100, 200, 400]);
    await settle(4_999);
    expect(await crash(harness, 'a')).toBe(800);
    await settle(800 + 5_000);
    expect(await crash(harness, 'a')).toBe(100);
  });

  it('resets after maxMs of running by default', async () => {
    const harness = startSupervisor(flags(), [spec('a')]);
    await settle();
    expect(await crashRepeatedly(harness, 'a', 3)).toEqual([100, 200, 400]);
    await settle(1_000);
    expect(await crash(harness, 'a')).toBe(100);
  });

  it('keeps a separate backoff for each child', async () => {
    const harness = startSupervisor(flags(), [spec('a'), spec('b')]);
    await settle();
    expect(await crashRepeatedly(harness, 'a', 3)).toEqual([100, 200, 400]);
    expect(await crash(harness, 'b')).toBe(100);
  });

  it('leaves the other children running during the delay', async () => {
    const harness = startSupervisor(flags(), [spec('a'), spec('b')]);
    await settle();
    const b = refOf(harness.client, 'b');
    await crash(harness, 'a');
    expect(refOf(harness.client, 'b')).toBe(b);
    expect(b.getSnapshot().status).toBe('active');
  });

  it('cancels the pending restart when the child is terminated', async () => {
    const harness = startSupervisor(flags(), [spec('a')]);
    const { client, events } = harness;
    await settle();
    await crash(harness, 'a');
    expect(await client.terminateChild('a')).toEqual({ ok: true });
    expect(viewOf(client, 'a')).toBeUndefined();
    await settle(10_000);
    expect(startsOf(events, 'a')).toHaveLength(1);
    expect(viewOf(client, 'a')).toBeUndefined();
  });

  it('cancels the pending restart when the supervisor stops', async () => {
    const harness = startSupervisor(flags(), [spec('a')]);
    const { actor, client, events } = harness;
    await settle();
    await crash(harness, 'a');
    const stopped = client.stop();
    await settle();
    await stopped;
    await settle(10_000);
    expect(startsOf(events, 'a')).toHaveLength(1);
    expect(actor.getSnapshot().status).toBe('done');
  });

  it('answers restarting to restartChild and deleteChild during the delay', async () => {
    const harness = startSupervisor(flags(), [spec('a')]);
    await settle();
    await crash(harness, 'a');
    for (const call of ['restartChild', 'deleteChild'] as const) {
      expect(await harness.client[call]('a')).toEqual({
        ok: false,
        error: { kind: 'restarting', id: 'a' },
      });
    }
  });

  it('still gives up when failures exceed intensity', async () => {
    const harness = startSupervisor({ ...flags(), intensity: 2, period: 60 }, [spec('a')]);
    await settle();
    await crashRepeatedly(harness, 'a', 2);
    refOf(harness.client, 'a').send({ type: 'CRASH' });
    await settle(10_000);
    expect(harness.actor.getSnapshot().status).toBe('done');
    expect(harness.actor.getSnapshot().output).toEqual({
      exitReason: 'shutdown',
      cause: 'intensity',
    });
  });
});
