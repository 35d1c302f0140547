import { describe, expect, it } from 'vitest';
import type { RetryPolicy } from '../../../../src/core/backoff/retry-policy.js';
import { ApiError } from '../../../../src/machines/query/errors/api-error.js';
import { retryDelay } from '../../../../src/machines/query/retry/retry-delay.js';

const policy: RetryPolicy = {
  maxAttempts: 5,
  initialDelayMs: 1_000,
  maxDelayMs: 30_000,
  multiplier: 2,
  jitter: 0.2,
};
const middle = () => 0.5;

describe('retryDelay', () => {
  it('is the policy backoff for the attempt that failed', () => {
    const error = new ApiError({ status: 529 });
    expect([1, 2, 3].map((attempt) => retryDelay(policy, attempt, error, middle))).toEqual([
      1_000, 2_000, 4_000,
    ]);
  });

  it('never comes sooner than the retry-after the API sent, however low the jitter', () => {
    const error = new ApiError({ status: 429, retryAfterSec: 5 });
    expect(retryDelay(policy, 1, error, () => 0)).toBe(5_000);
    // A backoff already longer than the retry-after is kept.
    expect(retryDelay(policy, 5, error, middle)).toBe(16_000);
  });

  it('takes any error, with no floor from one that is not ours', () => {
    expect(retryDelay(policy, 2, new Error('boom'), () => 0)).toBe(1_600);
  });
});
