import type { Redis } from 'ioredis';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { admissionKeys } from '../../src/distributed/redis-admission-keys.js';
import { createSharedPause } from '../../src/distributed/shared-pause.js';

const T0 = Date.UTC(2026, 0, 1);

/** A Redis whose pause key expires at `until` (all `waitOver` reads: PTTL and GET). */
function redisPausedUntil(until: number) {
  const reads = { count: 0 };
  const multi = {
    pttl: () => multi,
    get: () => multi,
    exec: async () => {
      reads.count += 1;
      const ttl = until - Date.now();
      return [
        [null, ttl > 0 ? ttl : -2],
        [null, ttl > 0 ? 'rate_limit_event' : null],
      ];
    },
  };
  return { redis: { multi: () => multi } as unknown as Redis, reads };
}

beforeEach(() => {
  vi.useFakeTimers({ now: T0 });
});
afterEach(() => {
  vi.useRealTimers();
});

describe('SharedPause.waitOver', () => {
  it('waits out a pause longer than the longest timer without polling Redis every ms', async () => {
    const DAY = 86_400_000;
    const { redis, reads } = redisPausedUntil(T0 + 40 * DAY);
    const pause = createSharedPause({ redis, keys: admissionKeys('bull', 'q'), origin: 'w1' });
    let over = false;
    void pause.waitOver().then(() => {
      over = true;
    });
    await vi.advanceTimersByTimeAsync(100);
    expect(reads.count).toBe(1);
    await vi.advanceTimersByTimeAsync(40 * DAY - 101);
    expect(over).toBe(false);
    await vi.advanceTimersByTimeAsync(1);
    expect(over).toBe(true);
    // Once at the start, once when the capped wait ended, once at the end.
    expect(reads.count).toBe(3);
  });
});

describe('SharedPause.decode', () => {
  const pause = createSharedPause({
    redis: redisPausedUntil(0).redis,
    keys: admissionKeys('bull', 'q'),
    origin: 'w1',
  });

  it('reads a pause message', () => {
    expect(pause.decode('{"ms":500,"reason":"HTTP 429","origin":"w2"}')).toEqual({
      ms: 500,
      reason: 'HTTP 429',
      origin: 'w2',
    });
  });

  it.each([
    ['an infinite pause (1e400 parses as Infinity)', '{"ms":1e400,"origin":"w2"}'],
    ['a pause in words', '{"ms":"forever","origin":"w2"}'],
    ['no origin', '{"ms":500}'],
    ['null', 'null'],
    ['no JSON', 'pause!'],
  ])('refuses %s', (_, message) => {
    expect(pause.decode(message)).toBeUndefined();
  });
});
