import { describe, expect, it } from 'vitest';
import { computeBackoff } from '../../../src/core/backoff/compute-backoff.js';
import type { RetryPolicy } from '../../../src/core/backoff/retry-policy.js';

const policy: RetryPolicy = {
  maxAttempts: 10,
  initialDelayMs: 1_000,
  maxDelayMs: 30_000,
  multiplier: 2,
  jitter: 0.2,
};
const middle = () => 0.5;

describe('computeBackoff', () => {
  it.each([
    [1, 1_000],
    [2, 2_000],
    [3, 4_000],
    [4, 8_000],
    [5, 16_000],
    [6, 30_000],
    [7, 30_000],
  ])('after attempt %i waits %i ms without jitter', (attempt, expected) => {
    expect(computeBackoff(policy, attempt, middle)).toBe(expected);
  });

  it.each([
    [0, 800],
    [0.25, 900],
    [0.75, 1_100],
    [0.999_999, 1_200],
  ])('with random %d spreads the first delay to %i ms (±20 %%)', (random, expected) => {
    expect(computeBackoff(policy, 1, () => random)).toBe(expected);
  });

  it('never exceeds maxDelayMs, even with jitter', () => {
    expect(computeBackoff(policy, 20, () => 0.999)).toBe(30_000);
  });

  it('waits at least as long as the server asked (retry-after)', () => {
    expect(computeBackoff(policy, 1, middle, 5_000)).toBe(5_000);
    expect(computeBackoff(policy, 4, middle, 5_000)).toBe(8_000);
  });

  it('grows linearly-constant with multiplier 1', () => {
    const flat = { ...policy, multiplier: 1 };
    expect([1, 2, 3].map((a) => computeBackoff(flat, a, middle))).toEqual([1_000, 1_000, 1_000]);
  });
});
