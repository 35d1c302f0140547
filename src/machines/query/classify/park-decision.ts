import type { ClaudeActorsError, ErrorContext } from '../../../core/errors/claude-actors-error.js';
import { ApiError } from '../errors/api-error.js';
import { RateLimitedError } from '../errors/rate-limited-error.js';
import { UsageLimitError } from '../errors/usage-limit-error.js';
import { toLimiterSignal } from './to-limiter-signal.js';

/** What {@link parkDecision} says of a failed attempt. */
export interface ParkDecision {
  /** The attempt's error: the one given, or a `UsageLimitError` when the reset is too far. */
  readonly error: ClaudeActorsError;
  /** The query waits for the reset: the attempt does not count against its retry budget. */
  readonly parked: boolean;
}

/**
 * Whether a failed attempt parks its query until a rate limit resets. It does when its error
 * says the API is rate limited and when that ends (an `ApiError` 429 with a `retry-after` or a
 * `rate_limit_event`'s reset, or a runtime's `RateLimitedError` refusal) and the reset is no
 * further than `horizonMs`; a reset further away turns the error into a `UsageLimitError`
 * naming it (not retryable). A 429 that says nothing of its reset is an ordinary retryable
 * failure. No horizon: nothing parks.
 *
 * @param now - epoch ms
 */
export function parkDecision(
  error: ClaudeActorsError,
  horizonMs: number | undefined,
  now: number,
  context: ErrorContext,
): ParkDecision {
  if (horizonMs === undefined || !error.retryable) return { error, parked: false };
  const waitMs = rateLimitWaitMs(error, now);
  if (waitMs === undefined) return { error, parked: false };
  if (waitMs <= horizonMs) return { error, parked: true };
  const signal = toLimiterSignal(error);
  const reason =
    error instanceof RateLimitedError
      ? error.reason
      : signal?.kind === 'rate_limited'
        ? signal.reason
        : undefined;
  return {
    error: new UsageLimitError(
      { resetsAt: now + waitMs, horizonMs, reason, cause: error },
      context,
    ),
    parked: false,
  };
}

/** How long until the rate limit `error` announces resets, if it is one and says. */
function rateLimitWaitMs(error: ClaudeActorsError, now: number): number | undefined {
  const limited =
    error instanceof RateLimitedError ||
    (error instanceof ApiError && toLimiterSignal(error)?.kind === 'rate_limited');
  return limited ? error.retryAfterMs(now) : undefined;
}
