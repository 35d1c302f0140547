import { describe, expect, it } from 'vitest';
import { constantBackoff } from '../../../src/core/backoff/constant-backoff.js';

describe('constantBackoff', () => {
  it('gives the same delay at every step', () => {
    let backoff = constantBackoff(250);
    const delays: number[] = [];
    for (let i = 0; i < 4; i++) {
      const step = backoff.next();
      delays.push(step.delayMs);
      backoff = step.next;
    }
    expect(delays).toEqual([250, 250, 250, 250]);
  });
});
