import { describe, expect, it } from 'vitest';
import type { ClaudeActorsError } from '../../../../src/core/errors/claude-actors-error.js';
import { parkDecision } from '../../../../src/machines/query/classify/park-decision.js';
import { ApiError } from '../../../../src/machines/query/errors/api-error.js';
import { RateLimitedError } from '../../../../src/machines/query/errors/rate-limited-error.js';
import { TimeoutError } from '../../../../src/machines/query/errors/timeout-error.js';
import { UsageLimitError } from '../../../../src/machines/query/errors/usage-limit-error.js';

const NOW = Date.UTC(2026, 11, 3, 10);
const HOUR = 3_600_000;

describe('parkDecision', () => {
  it.each<[string, ClaudeActorsError, number | undefined, boolean]>([
    [
      'a 429 with a retry-after within the horizon',
      new ApiError({ status: 429, retryAfterSec: 3_600 }),
      2 * HOUR,
      true,
    ],
    [
      'a runtime refusal until a reset within the horizon',
      new RateLimitedError({ resetsAt: NOW + HOUR }),
      2 * HOUR,
      true,
    ],
    ['a reset exactly at the horizon', new RateLimitedError({ resetsAt: NOW + HOUR }), HOUR, true],
    ['a 429 that names no reset', new ApiError({ status: 429 }), 2 * HOUR, false],
    ['a 529 overload', new ApiError({ status: 529, retryAfterSec: 10 }), 2 * HOUR, false],
    ['an idle timeout', new TimeoutError('idle', 1_000), 2 * HOUR, false],
    [
      'any rate limit without a horizon',
      new RateLimitedError({ resetsAt: NOW + 1 }),
      undefined,
      false,
    ],
  ])('%s parks: %s', (_name, error, horizonMs, parked) => {
    const decision = parkDecision(error, horizonMs, NOW, {});
    expect(decision).toEqual({ error, parked });
  });

  it('turns a reset beyond the horizon into a UsageLimitError naming it, with the cause', () => {
    const cause = new RateLimitedError({ resetsAt: NOW + 8 * HOUR, reason: 'rate_limit_event' });
    const { error, parked } = parkDecision(cause, 6 * HOUR, NOW, { queryId: 'q', attempt: 2 });
    expect(parked).toBe(false);
    expect(error).toBeInstanceOf(UsageLimitError);
    expect(error).toMatchObject({
      code: 'USAGE_LIMIT',
      retryable: false,
      resetsAt: NOW + 8 * HOUR,
      horizonMs: 6 * HOUR,
      reason: 'rate_limit_event',
      queryId: 'q',
      attempt: 2,
      cause,
    });
    expect(error.message).toContain('until 2026-12-03T18:00:00.000Z (rate_limit_event)');
    expect(error.message).toContain('6 h (`limiter.parkHorizonMs`)');
  });

  it('names the HTTP status of a 429 beyond the horizon', () => {
    const { error } = parkDecision(
      new ApiError({ status: 429, retryAfterSec: 36_000 }),
      HOUR,
      NOW,
      {},
    );
    expect((error as UsageLimitError).reason).toBe('HTTP 429');
    expect((error as UsageLimitError).resetsAt).toBe(NOW + 36_000_000);
  });
});
