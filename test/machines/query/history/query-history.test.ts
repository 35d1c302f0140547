import { describe, expect, it } from 'vitest';
import { CancelledError } from '../../../../src/core/errors/cancelled-error.js';
import { ApiError } from '../../../../src/machines/query/errors/api-error.js';
import { RateLimitedError } from '../../../../src/machines/query/errors/rate-limited-error.js';
import { TimeoutError } from '../../../../src/machines/query/errors/timeout-error.js';
import { QueryHistory } from '../../../../src/machines/query/history/query-history.js';
import type { ResultMessage } from '../../../../src/protocol/cli-message.js';

const policy = {
  maxAttempts: 3,
  initialDelayMs: 1_000,
  maxDelayMs: 30_000,
  multiplier: 2,
  jitter: 0,
};
const T0 = 1_000_000;

const fresh = (extra: { deadlineAt?: number; sessionId?: string } = {}) =>
  QueryHistory.start({ queryId: 'q1', startedAt: T0, ...extra });

function resultMessage(fields: Record<string, unknown> = {}): ResultMessage {
  return {
    type: 'result',
    subtype: 'success',
    is_error: false,
    result: 'done',
    session_id: 'sess-1',
    total_cost_usd: 0.01,
    num_turns: 2,
    duration_ms: 100,
    duration_api_ms: 80,
    usage: { input_tokens: 10, output_tokens: 5, cache_read_input_tokens: 3 },
    ...fields,
  } as unknown as ResultMessage;
}

const overloaded = (attempt: number, retryAfterSec?: number) =>
  new ApiError({ status: 529, errorType: 'overloaded_error', retryAfterSec }, { attempt });

/** A history whose attempt 1 failed (overloaded, costing 0.002) and attempt 2 succeeded. */
function retriedOnce(): QueryHistory {
  return fresh()
    .record({
      attempt: 1,
      outcome: 'failed',
      error: overloaded(1),
      result: resultMessage({ is_error: true, total_cost_usd: 0.002, session_id: 'sess-a' }),
      durationMs: 40,
    })
    .retryIn(1_000)
    .record({
      attempt: 2,
      outcome: 'succeeded',
      result: resultMessage({ session_id: 'sess-b' }),
      structuredOutput: { answer: 4 },
      durationMs: 60,
    });
}

describe('QueryHistory', () => {
  it('starts empty: attempt 1 next, nothing spent, the resumed session', () => {
    const history = fresh({ sessionId: 'resumed' });
    expect(history.nextAttempt).toBe(1);
    expect(history.costUsd).toBe(0);
    expect(history.sessionId).toBe('resumed');
    expect(history.retryPending).toBe(false);
    expect(
      history.toResult({ status: 'cancelled', finishedAt: T0 + 5, error: new CancelledError('x') }),
    ).toMatchObject({
      status: 'cancelled',
      attempts: 0,
      costUsd: 0,
      durationMs: 5,
      attemptErrors: [],
    });
  });

  it('record returns a new value and leaves the old one as it was', () => {
    const before = fresh();
    const after = before.record({ attempt: 1, outcome: 'failed', error: overloaded(1) });
    expect(before.attempts).toHaveLength(0);
    expect(after.attempts).toHaveLength(1);
    expect(Object.isFrozen(after)).toBe(true);
    expect(Object.isFrozen(after.attempts)).toBe(true);
    expect(() => (after.attempts as unknown[]).push({})).toThrow();
  });

  it('refuses an attempt out of order, naming the query and the number', () => {
    expect(() => fresh().record({ attempt: 2, outcome: 'succeeded' })).toThrow(
      'QueryHistory of `q1`: expected attempt 1, got `2`',
    );
  });

  it("a retry then a success: the result sums the cost and keeps the last attempt's facts", () => {
    const result = retriedOnce().toResult({ status: 'succeeded', finishedAt: T0 + 1_500 });
    expect(result).toMatchObject({
      status: 'succeeded',
      queryId: 'q1',
      text: 'done',
      structuredOutput: { answer: 4 },
      sessionId: 'sess-b',
      numTurns: 2,
      durationMs: 1_500,
      durationApiMs: 80,
      attempts: 2,
      error: undefined,
      usage: {
        inputTokens: 10,
        outputTokens: 5,
        cacheReadInputTokens: 3,
        cacheCreationInputTokens: 0,
      },
    });
    expect(result.costUsd).toBeCloseTo(0.012, 10);
    expect(result.attemptErrors.map((e) => e.code)).toEqual(['API_ERROR']);
    expect(result.raw?.session_id).toBe('sess-b');
  });

  it('each record keeps the backoff waited before it, which the next attempt consumes', () => {
    const history = retriedOnce();
    expect(history.attempts.map((a) => [a.attempt, a.delayMs, a.durationMs])).toEqual([
      [1, 0, 40],
      [2, 1_000, 60],
    ]);
    expect(history.retryPending).toBe(false);
  });

  it("a failed query without an error of its own ends with its last attempt's error", () => {
    const history = fresh().record({ attempt: 1, outcome: 'failed', error: overloaded(1) });
    const result = history.toResult({ status: 'failed', finishedAt: T0 });
    expect(result.error).toBe(history.last!.error);
    expect(result.attemptErrors).toEqual([history.last!.error]);
    expect(result.text).toBeUndefined();
  });

  it('cancelled mid-backoff: the attempts made so far, their cost once, the cancellation apart', () => {
    const failed = fresh()
      .record({
        attempt: 1,
        outcome: 'failed',
        error: overloaded(1),
        result: resultMessage({ is_error: true, total_cost_usd: 0.002 }),
      })
      .retryIn(1_000);
    const cancelled = new CancelledError('user');
    const result = failed.toResult({ status: 'cancelled', finishedAt: T0 + 300, error: cancelled });
    expect(result).toMatchObject({
      status: 'cancelled',
      attempts: 1,
      costUsd: 0.002,
      error: cancelled,
    });
    expect(result.attemptErrors.map((e) => e.code)).toEqual(['API_ERROR']);
    expect(result.text).toBeUndefined();
  });

  it('an aborted attempt counts as an attempt, keeps its session, and is no attempt error', () => {
    const history = fresh().record({ attempt: 1, outcome: 'aborted', sessionId: 'sess-x' });
    const result = history.toResult({
      status: 'cancelled',
      finishedAt: T0,
      error: new CancelledError('stop'),
    });
    expect(result).toMatchObject({ attempts: 1, sessionId: 'sess-x', attemptErrors: [] });
  });

  it('a total timeout between attempts is an attempt error of its own when it says so', () => {
    const history = fresh().record({ attempt: 1, outcome: 'failed', error: overloaded(1) });
    const timeout = new TimeoutError('total', 500);
    const result = history.toResult({
      status: 'failed',
      finishedAt: T0,
      error: timeout,
      countsAsAttemptError: true,
    });
    expect(result.error).toBe(timeout);
    expect(result.attemptErrors.map((e) => e.code)).toEqual(['API_ERROR', 'TOTAL_TIMEOUT']);
    expect(
      history.toResult({ status: 'failed', finishedAt: T0, error: timeout }).attemptErrors,
    ).toHaveLength(1);
  });

  describe('shouldRetry', () => {
    it.each([
      ['a retryable failure with attempts left', 1, overloaded(1), true],
      ['a failure that is not retryable', 1, new ApiError({ status: 400 }), false],
      ['the last of maxAttempts', 3, overloaded(3), false],
    ] as const)('%s → %s', (_, failedAttempts, error, expected) => {
      let history = fresh();
      for (let attempt = 1; attempt <= failedAttempts; attempt++) {
        history = history.record({
          attempt,
          outcome: 'failed',
          error: attempt === failedAttempts ? error : overloaded(attempt),
        });
      }
      expect(history.shouldRetry(policy, T0)).toBe(expected);
    });

    it('never after a success, an aborted attempt, or before any attempt', () => {
      expect(fresh().shouldRetry(policy, T0)).toBe(false);
      expect(fresh().record({ attempt: 1, outcome: 'succeeded' }).shouldRetry(policy, T0)).toBe(
        false,
      );
      expect(fresh().record({ attempt: 1, outcome: 'aborted' }).shouldRetry(policy, T0)).toBe(
        false,
      );
    });

    it('not once the deadline has passed', () => {
      const history = fresh({ deadlineAt: T0 + 1_000 }).record({
        attempt: 1,
        outcome: 'failed',
        error: overloaded(1),
      });
      expect(history.shouldRetry(policy, T0 + 999)).toBe(true);
      expect(history.shouldRetry(policy, T0 + 1_000)).toBe(false);
      expect(history.canAttemptAgain(policy, T0 + 1_000)).toBe(false);
    });
  });

  describe('nextDelay', () => {
    it.each([
      [1, 0.5, 1_000],
      [2, 0.5, 2_000],
      [3, 0.5, 4_000],
    ])('after failed attempt %i (random %d): %i ms', (failed, random, expected) => {
      let history = fresh();
      for (let attempt = 1; attempt <= failed; attempt++) {
        history = history.record({ attempt, outcome: 'failed', error: overloaded(attempt) });
      }
      expect(history.nextDelay(policy, () => random, T0)).toBe(expected);
    });

    it('jitter moves the delay within its band', () => {
      const history = fresh().record({ attempt: 1, outcome: 'failed', error: overloaded(1) });
      const jittery = { ...policy, jitter: 0.2 };
      expect(history.nextDelay(jittery, () => 0, T0)).toBe(800);
      expect(history.nextDelay(jittery, () => 0.999_999, T0)).toBe(1_200);
    });

    it('never waits less than the retry-after the API asked for', () => {
      const history = fresh().record({ attempt: 1, outcome: 'failed', error: overloaded(1, 7) });
      expect(history.nextDelay(policy, () => 0.5, T0)).toBe(7_000);
      // A floor only: a longer backoff stays.
      const later = { ...policy, initialDelayMs: 9_000 };
      expect(history.nextDelay(later, () => 0.5, T0)).toBe(9_000);
    });
  });

  it('retryIn plans the next backoff, never negative, and record consumes it', () => {
    const failed = fresh().record({ attempt: 1, outcome: 'failed', error: overloaded(1) });
    expect(failed.retryIn(-5).pendingDelayMs).toBe(0);
    const planned = failed.retryIn(1_234);
    expect(planned.retryPending).toBe(true);
    const next = planned.record({ attempt: 2, outcome: 'succeeded' });
    expect(next.last!.delayMs).toBe(1_234);
    expect(next.pendingDelayMs).toBeUndefined();
  });
});

describe('QueryHistory with parked attempts', () => {
  const policy = {
    maxAttempts: 1,
    initialDelayMs: 1_000,
    maxDelayMs: 30_000,
    multiplier: 2,
    jitter: 0,
  };
  const limited = new RateLimitedError({ resetsAt: 10_000 });

  it('does not count parked attempts against maxAttempts', () => {
    let history = QueryHistory.start({ queryId: 'q', startedAt: 0 });
    history = history.record({ attempt: 1, outcome: 'failed', error: limited, parked: true });
    history = history.record({ attempt: 2, outcome: 'failed', error: limited, parked: true });
    expect(history.countedAttempts).toBe(0);
    expect(history.shouldRetry(policy, 0)).toBe(true);
    history = history.record({
      attempt: 3,
      outcome: 'failed',
      error: new ApiError({ status: 529 }),
    });
    expect(history.countedAttempts).toBe(1);
    expect(history.shouldRetry(policy, 0)).toBe(false);
  });

  it('moves the deadline by the wait planned after a parked attempt, not after another', () => {
    let history = QueryHistory.start({ queryId: 'q', startedAt: 0, deadlineAt: 60_000 });
    history = history.record({ attempt: 1, outcome: 'failed', error: limited, parked: true });
    expect(history.retryIn(7_200_000).deadlineAt).toBe(7_260_000);
    const plain = QueryHistory.start({ queryId: 'q', startedAt: 0, deadlineAt: 60_000 }).record({
      attempt: 1,
      outcome: 'failed',
      error: new ApiError({ status: 529 }),
    });
    expect(plain.retryIn(5_000).deadlineAt).toBe(60_000);
  });

  it('waits until the reset after a parked attempt, its backoff that of the attempts counted', () => {
    const history = QueryHistory.start({ queryId: 'q', startedAt: 0 }).record({
      attempt: 1,
      outcome: 'failed',
      error: limited,
      parked: true,
    });
    expect(history.nextDelay({ ...policy, maxAttempts: 3 }, () => 0.5, 4_000)).toBe(6_000);
    expect(history.nextDelay({ ...policy, maxAttempts: 3 }, () => 0.5, 9_900)).toBe(1_000);
  });
});
