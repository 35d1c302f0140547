import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { type AnyActorRef, createActor, emit, setup } from 'xstate';
import { requestReply, waitingRequests } from '../../../src/core/actor/request-reply.js';

interface EchoReply {
  readonly type: 'echo.reply';
  readonly requestId: string;
  readonly value: number;
}

type EchoEvent =
  | { type: 'ask'; requestId: string; value: number }
  | { type: 'answer'; requestId: string; value: number }
  | { type: 'forget'; requestId: string };

/** Answers `ask` at once when `immediate`, otherwise when told to `answer`. */
function echoActor(immediate: boolean) {
  const machine = setup({
    types: { events: {} as EchoEvent, emitted: {} as EchoReply },
  }).createMachine({
    on: {
      ask: {
        actions: emit(({ event }) => ({
          type: 'echo.reply' as const,
          requestId: event.requestId,
          value: event.value * 2,
        })),
        guard: () => immediate,
      },
      answer: {
        actions: emit(({ event }) => ({
          type: 'echo.reply' as const,
          requestId: event.requestId,
          value: event.value,
        })),
      },
    },
  });
  return createActor(machine).start();
}

function ask(
  ref: AnyActorRef,
  requestId: string,
  extra: Partial<Parameters<typeof requestReply<EchoReply, number>>[1]> = {},
) {
  const sent: string[] = [];
  const promise = requestReply<EchoReply, number>(ref, {
    replyType: 'echo.reply',
    requestId,
    send: () => {
      sent.push(requestId);
      ref.send({ type: 'ask', requestId, value: 21 });
    },
    onReply: (reply) => reply.value,
    onStopped: (when) => {
      throw new Error(`stopped: ${when}`);
    },
    ...extra,
  });
  return { promise, sent };
}

describe('requestReply', () => {
  beforeEach(() => {
    vi.useFakeTimers();
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it('settles with the mapped reply, even one emitted within the send', async () => {
    const ref = echoActor(true);
    const { promise, sent } = ask(ref, 'r1');
    await expect(promise).resolves.toBe(42);
    expect(sent).toEqual(['r1']);
    expect(waitingRequests(ref, 'echo.reply')).toBe(0);
  });

  it('routes replies by requestId, in any order', async () => {
    const ref = echoActor(false);
    const a = ask(ref, 'a').promise;
    const b = ask(ref, 'b').promise;
    expect(waitingRequests(ref, 'echo.reply')).toBe(2);
    ref.send({ type: 'answer', requestId: 'b', value: 2 });
    ref.send({ type: 'answer', requestId: 'unknown', value: 3 });
    ref.send({ type: 'answer', requestId: 'a', value: 1 });
    await expect(Promise.all([a, b])).resolves.toEqual([1, 2]);
  });

  it('rejects when the reply callback throws', async () => {
    const ref = echoActor(true);
    const { promise } = ask(ref, 'r1', {
      onReply: () => {
        throw new RangeError('refused');
      },
    });
    await expect(promise).rejects.toThrow(RangeError);
  });

  it('sends nothing to an actor that is not running', async () => {
    const ref = echoActor(true);
    ref.stop();
    const { promise, sent } = ask(ref, 'r1');
    await expect(promise).rejects.toThrow('stopped: not_running');
    expect(sent).toEqual([]);
  });

  it('settles every waiting request when the actor stops before answering', async () => {
    const ref = echoActor(false);
    const a = ask(ref, 'a', { onStopped: (when) => (when === 'stopped' ? -1 : -2) }).promise;
    const b = ask(ref, 'b').promise;
    ref.stop();
    await expect(a).resolves.toBe(-1);
    await expect(b).rejects.toThrow('stopped: stopped');
    expect(waitingRequests(ref, 'echo.reply')).toBe(0);
  });

  it('does not send when the signal has already aborted', async () => {
    const ref = echoActor(true);
    const onAbandon = vi.fn();
    const { promise, sent } = ask(ref, 'r1', {
      signal: AbortSignal.abort(new Error('gone')),
      onAbandon,
    });
    await expect(promise).rejects.toThrow('gone');
    expect(sent).toEqual([]);
    expect(onAbandon).not.toHaveBeenCalled();
  });

  it('gives up on abort after the send: abandons, maps the reason, ignores a late reply', async () => {
    const ref = echoActor(false);
    const controller = new AbortController();
    const onAbandon = vi.fn();
    const { promise } = ask(ref, 'r1', {
      signal: controller.signal,
      onAbandon,
      onAbort: (reason) => `aborted: ${String(reason)}` as unknown as number,
    });
    controller.abort('user');
    await expect(promise).resolves.toBe('aborted: user');
    expect(onAbandon).toHaveBeenCalledTimes(1);
    expect(waitingRequests(ref, 'echo.reply')).toBe(0);
    // The same id may be asked again once the first gave up; the late reply goes to it.
    const again = ask(ref, 'r1').promise;
    ref.send({ type: 'answer', requestId: 'r1', value: 7 });
    await expect(again).resolves.toBe(7);
  });

  it('times out after `ms`: abandons, then settles with onTimeout', async () => {
    const ref = echoActor(false);
    const onAbandon = vi.fn();
    const { promise } = ask(ref, 'r1', {
      timeout: {
        ms: 1_000,
        onTimeout: () => {
          throw new Error('timed out');
        },
      },
      onAbandon,
    });
    const settled = vi.fn();
    promise.then(settled, settled);
    await vi.advanceTimersByTimeAsync(999);
    expect(settled).not.toHaveBeenCalled();
    await vi.advanceTimersByTimeAsync(1);
    await expect(promise).rejects.toThrow('timed out');
    expect(onAbandon).toHaveBeenCalledTimes(1);
    expect(waitingRequests(ref, 'echo.reply')).toBe(0);
  });

  it('clears its timer and abort listener when the reply comes', async () => {
    const ref = echoActor(false);
    const controller = new AbortController();
    const onAbandon = vi.fn();
    const { promise } = ask(ref, 'r1', {
      signal: controller.signal,
      timeout: { ms: 1_000, onTimeout: () => -1 },
      onAbandon,
    });
    expect(vi.getTimerCount()).toBe(1);
    ref.send({ type: 'answer', requestId: 'r1', value: 5 });
    await expect(promise).resolves.toBe(5);
    expect(vi.getTimerCount()).toBe(0);
    controller.abort();
    expect(onAbandon).not.toHaveBeenCalled();
  });

  it('arms no timer for a reply that came within the send', async () => {
    const ref = echoActor(true);
    const { promise } = ask(ref, 'r1', { timeout: { ms: 1_000, onTimeout: () => -1 } });
    expect(vi.getTimerCount()).toBe(0);
    await expect(promise).resolves.toBe(42);
  });

  it('rejects with what the send throws, leaving nothing waiting and nothing to abandon', async () => {
    const ref = echoActor(false);
    const onAbandon = vi.fn();
    const controller = new AbortController();
    const promise = requestReply<EchoReply, number>(ref, {
      replyType: 'echo.reply',
      requestId: 'r1',
      signal: controller.signal,
      timeout: { ms: 1_000, onTimeout: () => -1 },
      send: () => {
        throw new RangeError('cannot serialise');
      },
      onReply: (reply) => reply.value,
      onStopped: () => -2,
      onAbandon,
    });
    await expect(promise).rejects.toThrow(RangeError);
    expect(waitingRequests(ref, 'echo.reply')).toBe(0);
    expect(vi.getTimerCount()).toBe(0);
    controller.abort();
    expect(onAbandon).not.toHaveBeenCalled();
  });

  it('rejects a second request with an id that is already waiting', async () => {
    const ref = echoActor(false);
    const first = ask(ref, 'same').promise;
    const second = ask(ref, 'same');
    await expect(second.promise).rejects.toThrow(/requestId `same` is already waiting/);
    expect(second.sent).toEqual([]);
    ref.send({ type: 'answer', requestId: 'same', value: 1 });
    await expect(first).resolves.toBe(1);
  });

  it('listens once per actor and reply type, however many requests wait', async () => {
    const ref = echoActor(false);
    const on = vi.spyOn(ref, 'on');
    const subscribe = vi.spyOn(ref, 'subscribe');
    const all = Array.from({ length: 1_000 }, (_, i) => ask(ref, `r${i}`).promise);
    expect(on).toHaveBeenCalledTimes(1);
    expect(subscribe).toHaveBeenCalledTimes(1);
    for (let i = 999; i >= 0; i--) ref.send({ type: 'answer', requestId: `r${i}`, value: i });
    const values = await Promise.all(all);
    expect(values[0]).toBe(0);
    expect(values[999]).toBe(999);
    expect(on).toHaveBeenCalledTimes(1);
  });
});
