import { describe, expect, it } from 'vitest';
import { ApiError } from '../../../../src/machines/query/errors/api-error.js';
import { TimeoutError } from '../../../../src/machines/query/errors/timeout-error.js';
import { queryExitReason } from '../../../../src/machines/query/history/query-exit-reason.js';
import { QueryHistory } from '../../../../src/machines/query/history/query-history.js';

const policy = { maxAttempts: 3 };
const T0 = 5_000;
const error = new ApiError({ status: 529 });

function failedTimes(n: number, deadlineAt?: number): QueryHistory {
  let history = QueryHistory.start({ queryId: 'q1', startedAt: T0, deadlineAt });
  for (let attempt = 1; attempt <= n; attempt++) {
    history = history.record({ attempt, outcome: 'failed', error });
  }
  return history;
}

describe('queryExitReason', () => {
  const done = (history: QueryHistory) => ({
    status: 'done' as const,
    output: history.toResult({ status: 'failed', finishedAt: T0 }),
  });

  it("asks for a restart when the actor planned a retry, with the attempt's error", () => {
    const history = failedTimes(1).retryIn(100);
    expect(queryExitReason(history, done(history), { policy, now: T0 })).toEqual({
      abnormal: error,
    });
  });

  it('ends normally when no retry was planned, or the query was cancelled', () => {
    const history = failedTimes(1);
    expect(queryExitReason(history, done(history), { policy, now: T0 })).toBe('normal');
    const planned = history.retryIn(100);
    expect(queryExitReason(planned, done(planned), { policy, now: T0, cancelled: true })).toBe(
      'normal',
    );
  });

  it('restarts a crashed actor while attempts are left before the deadline', () => {
    const crash = { status: 'error' as const, error: new Error('boom') };
    expect(queryExitReason(failedTimes(2), crash, { policy, now: T0 })).toEqual({
      abnormal: crash.error,
    });
    expect(queryExitReason(failedTimes(3), crash, { policy, now: T0 })).toBe('normal');
    expect(queryExitReason(failedTimes(1, T0 + 10), crash, { policy, now: T0 + 10 })).toBe(
      'normal',
    );
  });

  it('is pure: the same history and end give the same reason, and the history is unchanged', () => {
    const history = failedTimes(1).retryIn(100);
    const end = done(history);
    const first = queryExitReason(history, end, { policy, now: T0 });
    expect(queryExitReason(history, end, { policy, now: T0 })).toEqual(first);
    expect(history.attempts).toHaveLength(1);
    expect(history.pendingDelayMs).toBe(100);
  });

  it('ends normally when the deadline passed or the attempts ran out, whatever retry was planned', () => {
    const late = failedTimes(1, T0 + 3_000).retryIn(10_000);
    expect(queryExitReason(late, done(late), { policy, now: T0 + 3_001 })).toBe('normal');
    const spent = failedTimes(3).retryIn(100);
    expect(queryExitReason(spent, done(spent), { policy, now: T0 })).toBe('normal');
  });

  it('ends normally on a total timeout met while waiting to retry (no restart storm)', () => {
    const history = failedTimes(1, T0 + 3_000).retryIn(10_000);
    const timedOut = {
      status: 'done' as const,
      output: history.toResult({
        status: 'failed',
        finishedAt: T0 + 2_000,
        error: new TimeoutError('total', 3_000, { queryId: 'q1' }),
      }),
    };
    // Still before the deadline by the clock, and attempts are left: the timeout decides.
    expect(queryExitReason(history, timedOut, { policy, now: T0 + 2_000 })).toBe('normal');
  });
});
