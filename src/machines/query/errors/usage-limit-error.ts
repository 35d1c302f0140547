import { ClaudeActorsError, type ErrorContext } from '../../../core/errors/claude-actors-error.js';
import type { QueryErrorCode } from './query-error-code.js';

/**
 * The API is rate limited (a usage limit) until a time further away than the park horizon
 * (`limiter.parkHorizonMs`): the query was not parked until the reset, it failed. Not
 * retryable before {@link UsageLimitError.resetsAt}; run it again after that time, or raise
 * the horizon to wait for it.
 */
export class UsageLimitError extends ClaudeActorsError {
  /** Always `USAGE_LIMIT`. */
  readonly code = 'USAGE_LIMIT' satisfies QueryErrorCode;
  /** When the limit resets (epoch ms). */
  readonly resetsAt: number;
  /** The longest wait for a reset that parks a query (ms). */
  readonly horizonMs: number;
  /** What said the API is limited (`rate_limit_event (five_hour)`, `HTTP 429`...), if known. */
  readonly reason: string | undefined;

  /**
   * @param details - When the limit resets, the horizon it is beyond, and what said so.
   * @param context - The query refused, when known.
   */
  constructor(
    details: { resetsAt: number; horizonMs: number; reason?: string | undefined; cause?: unknown },
    context: ErrorContext = {},
  ) {
    super(
      `The Anthropic API is rate limited until ${new Date(details.resetsAt).toISOString()}` +
        `${details.reason ? ` (${details.reason})` : ''}, beyond the park horizon of ` +
        `${formatMs(details.horizonMs)} (\`limiter.parkHorizonMs\`), so the query was not ` +
        'kept waiting: run it again after the reset, or raise the horizon.',
      { ...context, retryable: false, cause: details.cause },
    );
    this.resetsAt = details.resetsAt;
    this.horizonMs = details.horizonMs;
    this.reason = details.reason;
  }
}

function formatMs(ms: number): string {
  if (ms % 3_600_000 === 0) return `${ms / 3_600_000} h`;
  if (ms % 60_000 === 0) return `${ms / 60_000} min`;
  return `${ms} ms`;
}
