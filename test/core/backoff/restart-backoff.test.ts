import { describe, expect, it } from 'vitest';
import { restartBackoff } from '../../../src/core/backoff/restart-backoff.js';

describe('restartBackoff', () => {
  const options = { minMs: 100, maxMs: 1_000, randomFactor: 0, resetAfterMs: 2_000 };

  it('doubles from minMs up to maxMs while the child keeps failing fast', () => {
    let backoff = restartBackoff(options);
    const delays: number[] = [];
    for (let i = 0; i < 6; i++) {
      const step = backoff.next({ ranMs: 5 });
      delays.push(step.delayMs);
      backoff = step.next;
    }
    expect(delays).toEqual([100, 200, 400, 800, 1_000, 1_000]);
  });

  it('adds up to randomFactor of extra delay, beyond maxMs too', () => {
    const backoff = restartBackoff({ ...options, randomFactor: 0.5 }, () => 0.5);
    const first = backoff.next({ ranMs: 5 });
    let step = first;
    for (let i = 0; i < 5; i++) step = step.next.next({ ranMs: 5 });
    expect([first.delayMs, step.delayMs]).toEqual([125, 1_250]);
  });

  it('starts again from minMs after a child ran resetAfterMs', () => {
    const grown = restartBackoff(options).next({ ranMs: 5 }).next.next({ ranMs: 5 }).next;
    expect(grown.next({ ranMs: 5 }).delayMs).toBe(400);
    expect(grown.next({ ranMs: 2_000 }).delayMs).toBe(100);
  });
});
