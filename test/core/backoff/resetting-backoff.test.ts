import { describe, expect, it } from 'vitest';
import { exponentialBackoff } from '../../../src/core/backoff/exponential-backoff.js';
import { resettingBackoff } from '../../../src/core/backoff/resetting-backoff.js';

describe('resettingBackoff', () => {
  const backoff = resettingBackoff(exponentialBackoff({ initialMs: 100, maxMs: 1_000 }), 5_000);

  it('goes on growing while the failed thing ran shorter than resetAfterMs', () => {
    const first = backoff.next({ ranMs: 10 });
    const second = first.next.next({ ranMs: 4_999 });
    expect([first.delayMs, second.delayMs, second.next.next({ ranMs: 0 }).delayMs]).toEqual([
      100, 200, 400,
    ]);
  });

  it('starts over once it ran resetAfterMs or more, then grows again', () => {
    const grown = backoff.next({ ranMs: 10 }).next.next({ ranMs: 10 }).next;
    const reset = grown.next({ ranMs: 5_000 });
    expect(reset.delayMs).toBe(100);
    expect(reset.next.next({ ranMs: 10 }).delayMs).toBe(200);
  });
});
