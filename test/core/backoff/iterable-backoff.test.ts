import { describe, expect, it } from 'vitest';
import type { Backoff } from '../../../src/core/backoff/backoff.js';
import { iterableBackoff } from '../../../src/core/backoff/iterable-backoff.js';

function take(backoff: Backoff, n: number): number[] {
  const delays: number[] = [];
  for (let i = 0; i < n; i++) {
    const step = backoff.next();
    delays.push(step.delayMs);
    backoff = step.next;
  }
  return delays;
}

describe('iterableBackoff', () => {
  it('gives the delays in order, then the last one again', () => {
    expect(take(iterableBackoff([10, 50, 200]), 5)).toEqual([10, 50, 200, 200, 200]);
  });

  it('is not changed by the caller changing its list afterwards', () => {
    const delays = [10, 20];
    const backoff = iterableBackoff(delays);
    delays[0] = 99;
    expect(take(backoff, 2)).toEqual([10, 20]);
  });

  it('refuses an empty list', () => {
    expect(() => iterableBackoff([])).toThrow('Expected at least one delay, got `[]` (array)');
  });
});
