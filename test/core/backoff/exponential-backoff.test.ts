import { describe, expect, it } from 'vitest';
import type { Backoff } from '../../../src/core/backoff/backoff.js';
import {
  type ExponentialBackoffOptions,
  exponentialBackoff,
} from '../../../src/core/backoff/exponential-backoff.js';

function take(backoff: Backoff, n: number): number[] {
  const delays: number[] = [];
  for (let i = 0; i < n; i++) {
    const step = backoff.next();
    delays.push(step.delayMs);
    backoff = step.next;
  }
  return delays;
}

/** Returns the given values in turn, so each step's draw is known. */
function sequence(...values: number[]): () => number {
  let i = 0;
  return () => values[i++ % values.length]!;
}

const base: ExponentialBackoffOptions = { initialMs: 100, maxMs: 1_000 };

describe('exponentialBackoff', () => {
  it('doubles by default, up to the cap', () => {
    expect(take(exponentialBackoff(base), 6)).toEqual([100, 200, 400, 800, 1_000, 1_000]);
  });

  it('grows by the multiplier', () => {
    expect(take(exponentialBackoff({ ...base, multiplier: 3 }), 4)).toEqual([100, 300, 900, 1_000]);
  });

  it('stays at the cap however many steps (no overflow to Infinity or NaN)', () => {
    let backoff = exponentialBackoff(base);
    for (let i = 0; i < 2_000; i++) backoff = backoff.next().next;
    expect(backoff.next().delayMs).toBe(1_000);
  });

  it('a zero start stays zero however many steps (0 × 2^1024 is not NaN)', () => {
    let backoff = exponentialBackoff({ initialMs: 0, maxMs: 1_000 });
    for (let i = 0; i < 2_000; i++) backoff = backoff.next().next;
    expect(backoff.next().delayMs).toBe(0);
  });

  it('is immutable: a backoff asked twice gives the same step', () => {
    const backoff = exponentialBackoff(base);
    const second = backoff.next().next;
    expect(second.next().delayMs).toBe(200);
    expect(second.next().delayMs).toBe(200);
    expect(backoff.next().delayMs).toBe(100);
  });

  it.each([
    [0, [80, 160, 320, 640, 800]],
    [0.5, [100, 200, 400, 800, 1_000]],
    [0.999, [120, 240, 480, 960, 1_000]],
  ])('spread jitter ±20 %%, random() %d: %j (never above the cap)', (x, expected) => {
    const jitter = { kind: 'spread', factor: 0.2 } as const;
    expect(take(exponentialBackoff({ ...base, jitter, random: () => x }), 5)).toEqual(expected);
  });

  it('spread jitter never goes below 0', () => {
    const jitter = { kind: 'spread', factor: 2 } as const;
    expect(take(exponentialBackoff({ ...base, jitter, random: () => 0 }), 2)).toEqual([0, 0]);
  });

  it('extra jitter adds up to its factor, above the cap too (Akka)', () => {
    const jitter = { kind: 'extra', factor: 0.5 } as const;
    const random = sequence(0, 1, 0.5, 1, 1);
    expect(take(exponentialBackoff({ ...base, jitter, random }), 5)).toEqual([
      100, 300, 500, 1_200, 1_500,
    ]);
  });

  it('full jitter draws from 0 to the delay', () => {
    const random = sequence(0, 0.5, 0.25, 0.999);
    expect(take(exponentialBackoff({ ...base, jitter: { kind: 'full' }, random }), 4)).toEqual([
      0, 100, 100, 799,
    ]);
  });

  it('decorrelated jitter draws from the first delay to 3× the previous, capped', () => {
    const random = sequence(1, 1, 0, 0.5, 1);
    // 100 + 1×(300-100) = 300; 100 + 1×(900-100) = 900; 100; 100 + 0.5×(300-100) = 200;
    // 100 + 1×(600-100) = 600.
    expect(
      take(exponentialBackoff({ ...base, jitter: { kind: 'decorrelated' }, random }), 5),
    ).toEqual([300, 900, 100, 200, 600]);
    const high = sequence(1);
    expect(
      take(exponentialBackoff({ ...base, jitter: { kind: 'decorrelated' }, random: high }), 4),
    ).toEqual([300, 900, 1_000, 1_000]);
  });

  it('draws one random number per step, none without jitter', () => {
    let draws = 0;
    const random = () => {
      draws++;
      return 0.5;
    };
    take(exponentialBackoff({ ...base, random }), 3);
    expect(draws).toBe(0);
    take(exponentialBackoff({ ...base, jitter: { kind: 'full' }, random }), 3);
    expect(draws).toBe(3);
  });
});
