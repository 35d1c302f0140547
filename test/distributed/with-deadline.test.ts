import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { withDeadline } from '../../src/distributed/with-deadline.js';

beforeEach(() => {
  vi.useFakeTimers();
});
afterEach(() => {
  vi.useRealTimers();
});

describe('withDeadline', () => {
  it('rejects naming what took too long once the deadline passed', async () => {
    const outcome = withDeadline(new Promise(() => undefined), 1_000, 'closing the worker');
    const caught = outcome.catch((error: unknown) => error);
    await vi.advanceTimersByTimeAsync(1_000);
    expect(String(await caught)).toBe('Error: closing the worker took more than 1000 ms');
  });

  it('does not turn a deadline beyond the longest timer into 1 ms', async () => {
    // `shutdownMs` at its cap plus the 10 s the worker adds for Redis: above 2³¹ − 1.
    let settled = false;
    void withDeadline(new Promise(() => undefined), 2 ** 31 - 1 + 10_000, 'closing')
      .catch(() => undefined)
      .finally(() => {
        settled = true;
      });
    await vi.advanceTimersByTimeAsync(1_000);
    expect(settled).toBe(false);
    await vi.advanceTimersByTimeAsync(2 ** 31);
    expect(settled).toBe(true);
  });
});
