import { describe, expect, it } from 'vitest';
import { CancelledError } from '../../src/core/errors/cancelled-error.js';
import { InvalidOptionsError } from '../../src/core/validation/invalid-options-error.js';
import { toLimiterSignal } from '../../src/machines/query/classify/to-limiter-signal.js';
import { ApiError } from '../../src/machines/query/errors/api-error.js';
import { MissingCredentialsError } from '../../src/machines/query/errors/missing-credentials-error.js';
import { QueryFailedError } from '../../src/machines/query/errors/query-failed-error.js';
import { TimeoutError } from '../../src/machines/query/errors/timeout-error.js';
import { ProcessExitedError } from '../../src/process/errors/process-exited-error.js';
import { countsAsApiFailure } from '../../src/resilience/breaker/counts-as-api-failure.js';
import { CircuitOpenError } from '../../src/resilience/errors/circuit-open-error.js';

describe('countsAsApiFailure', () => {
  it.each([
    // Rate limiting is backpressure for the limiter, not a fault of the service.
    ['HTTP 429 after retries', new ApiError({ status: 429 }), false],
    ['a rate_limit tag', new ApiError({ status: undefined, errorType: 'rate_limit' }), false],
    ['missing credentials', new MissingCredentialsError('Not logged in'), false],
    ['HTTP 529 overload', new ApiError({ status: 529 }), true],
    ['HTTP 500', new ApiError({ status: 500 }), true],
    ['HTTP 503', new ApiError({ status: 503 }), true],
    ['a dropped connection', new ApiError({}), true],
    ['an idle timeout', new TimeoutError('idle', 1_000), true],
    [
      'a CLI killed by a signal',
      new ProcessExitedError({ signal: 'SIGKILL', stderrTail: '' }, { retryable: true }),
      true,
    ],
    ['HTTP 400', new ApiError({ status: 400 }), false],
    ['HTTP 401', new ApiError({ status: 401 }), false],
    ['a total timeout', new TimeoutError('total', 1_000), false],
    [
      'a CLI exit code',
      new ProcessExitedError({ exitCode: 1, stderrTail: '' }, { retryable: true }),
      false,
    ],
    ['invalid options', new InvalidOptionsError([]), false],
    ['max turns', new QueryFailedError({ subtype: 'error_max_turns' }), false],
    ['max budget', new QueryFailedError({ subtype: 'error_max_budget_usd' }), false],
    ['a cancellation', new CancelledError(undefined), false],
    ['an open breaker', new CircuitOpenError({ breakerState: 'open', retryAt: 1 }), false],
    ['a plain Error', new Error('boom'), false],
    ['a string', 'boom', false],
  ])('%s → %s', (_name, error, expected) => {
    expect(countsAsApiFailure(error)).toBe(expected);
  });
});

describe('toLimiterSignal', () => {
  it.each([
    [
      'a rejected rate_limit_event (epoch seconds)',
      {
        type: 'rate_limit_event',
        rate_limit_info: {
          status: 'rejected',
          resetsAt: 1_800_000_000,
          rateLimitType: 'five_hour',
        },
      },
      {
        kind: 'rate_limited',
        resetsAt: 1_800_000_000_000,
        reason: 'rate_limit_event (five_hour)',
      },
    ],
    [
      'an allowed_warning rate_limit_event',
      { type: 'rate_limit_event', rate_limit_info: { status: 'allowed_warning', resetsAt: 1 } },
      undefined,
    ],
    [
      'an api_retry for a 429',
      {
        type: 'system',
        subtype: 'api_retry',
        attempt: 1,
        retry_delay_ms: 1030,
        error_status: 429,
        error: 'rate_limit',
      },
      { kind: 'rate_limited', retryAfterMs: 1030, reason: 'api_retry 429' },
    ],
    [
      'an api_retry for a 529',
      { type: 'system', subtype: 'api_retry', attempt: 1, retry_delay_ms: 500, error_status: 529 },
      { kind: 'overloaded' },
    ],
    [
      'an api_retry for a 401',
      { type: 'system', subtype: 'api_retry', attempt: 1, retry_delay_ms: 5, error_status: 401 },
      undefined,
    ],
    [
      'an ApiError 429 with retry-after',
      new ApiError({ status: 429, retryAfterSec: 7 }),
      { kind: 'rate_limited', retryAfterMs: 7_000, reason: 'HTTP 429' },
    ],
    ['an ApiError 529', new ApiError({ status: 529 }), { kind: 'overloaded' }],
    ['an ApiError 500', new ApiError({ status: 500 }), undefined],
    ['nothing', undefined, undefined],
  ])('reads %s', (_name, source, expected) => {
    expect(toLimiterSignal(source)).toEqual(expected);
  });
});
