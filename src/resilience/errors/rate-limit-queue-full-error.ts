import { ClaudeActorsError, type ErrorContext } from '../../core/errors/claude-actors-error.js';
import type { ResilienceErrorCode } from './resilience-error-code.js';

/**
 * The rate limiter's queue already holds `maxQueued` waiting queries, so this one was refused
 * at once instead of waiting. Retryable: the queue drains as permits are released.
 */
export class RateLimitQueueFullError extends ClaudeActorsError {
  /** Always `RATE_LIMIT_QUEUE_FULL`. */
  readonly code = 'RATE_LIMIT_QUEUE_FULL' satisfies ResilienceErrorCode;
  /** The `maxQueued` option that was reached. */
  readonly maxQueued: number;

  /**
   * @param maxQueued - The queue bound that was reached.
   * @param context - The query refused, when known.
   */
  constructor(maxQueued: number, context: ErrorContext = {}) {
    super(
      `The rate limiter already has ${maxQueued} queries waiting (maxQueued), so this one was ` +
        'refused. Try again later or raise `maxQueued`.',
      { ...context, retryable: true },
    );
    this.maxQueued = maxQueued;
  }
}
