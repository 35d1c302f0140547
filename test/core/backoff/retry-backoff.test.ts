import { describe, expect, it } from 'vitest';
import { retryBackoff } from '../../../src/core/backoff/retry-backoff.js';

describe('retryBackoff', () => {
  const policy = {
    maxAttempts: 5,
    initialDelayMs: 1_000,
    maxDelayMs: 5_000,
    multiplier: 3,
    jitter: 0.1,
  };

  it('grows by the policy multiplier up to maxDelayMs, spread by ±jitter', () => {
    const draws = [0, 0.5, 0.999, 0.5];
    let i = 0;
    let backoff = retryBackoff(policy, () => draws[i++]!);
    const delays: number[] = [];
    for (let n = 0; n < 4; n++) {
      const step = backoff.next();
      delays.push(step.delayMs);
      backoff = step.next;
    }
    expect(delays).toEqual([900, 3_000, 5_000, 5_000]);
  });
});
