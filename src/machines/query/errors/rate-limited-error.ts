import { ClaudeActorsError, type ErrorContext } from '../../../core/errors/claude-actors-error.js';
import type { QueryErrorCode } from './query-error-code.js';

/**
 * The Anthropic API is rate limited (a usage limit) until {@link RateLimitedError.resetsAt},
 * within the park horizon: a runtime refused to start the attempt and parks the query until
 * the reset. Retryable at that time; a parked attempt does not count against the query's
 * `retry.maxAttempts`, and the wait does not count against its `timeouts.totalMs`.
 */
export class RateLimitedError extends ClaudeActorsError {
  /** Always `RATE_LIMITED`. */
  readonly code = 'RATE_LIMITED' satisfies QueryErrorCode;
  /** When the limit resets (epoch ms). */
  readonly resetsAt: number;
  /** What said the API is limited (`rate_limit_event (five_hour)`, `HTTP 429`...), if known. */
  readonly reason: string | undefined;

  /**
   * @param details - When the limit resets and what said so.
   * @param context - The query parked, when known.
   */
  constructor(
    details: { resetsAt: number; reason?: string | undefined },
    context: ErrorContext = {},
  ) {
    super(
      `The Anthropic API is rate limited until ${new Date(details.resetsAt).toISOString()}` +
        `${details.reason ? ` (${details.reason})` : ''}: the query is parked and starts ` +
        'after the reset.',
      { ...context, retryable: true },
    );
    this.resetsAt = details.resetsAt;
    this.reason = details.reason;
  }

  override retryAfterMs(now: number): number {
    return Math.max(0, this.resetsAt - now);
  }
}
