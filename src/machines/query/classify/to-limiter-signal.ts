import { ApiError } from '../errors/api-error.js';

/**
 * What Claude said about rate limits, fed to the limiter with `signal(...)`; build one from a
 * CLI message or an error with `toLimiterSignal`.
 */
export type LimiterSignal =
  /**
   * HTTP 429, a `rejected` `rate_limit_event`, or an `api_retry` for a rate limit: admission
   * pauses for everyone until `resetsAt` (epoch ms), else for `retryAfterMs`, else for the
   * `defaultPauseMs` option. Also shrinks adaptive concurrency.
   */
  | {
      readonly kind: 'rate_limited';
      readonly retryAfterMs?: number | undefined;
      readonly resetsAt?: number | undefined;
      /** What said so, for people: `rate_limit_event (five_hour)`, `HTTP 429`, `api_retry 429`. */
      readonly reason?: string | undefined;
    }
  /** HTTP 529 / overload: shrinks adaptive concurrency; does not pause. */
  | { readonly kind: 'overloaded' }
  /** A query succeeded: grows adaptive concurrency back, slowly. */
  | { readonly kind: 'success' };

// `resetsAt` of a `rate_limit_event` is in epoch seconds; anything this large is already ms.
const EPOCH_MS_THRESHOLD = 1e12;

const RATE_LIMIT_ERROR = /rate.?limit/i;
const OVERLOAD_ERROR = /overload/i;

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null;
}

/**
 * The rate limiter signal carried by something Claude said, or `undefined` if it says nothing
 * about rate limits. Understands:
 *
 * - a `rate_limit_event` message whose status is `rejected` → `rate_limited` until `resetsAt`
 *   (converted from epoch seconds to epoch ms);
 * - an `api_retry` message for a 429 / `rate_limit` → `rate_limited` for its `retry_delay_ms`;
 *   for a 529 / `overloaded` → `overloaded`;
 * - an {@link ApiError} with status 429 → `rate_limited` for its retry-after; 529 or an
 *   `overloaded_error` → `overloaded`.
 *
 * @example
 * ```ts
 * query.on('query.message', ({ message }) => {
 *   const signal = toLimiterSignal(message);
 *   if (signal) limiter.signal(signal);
 * });
 * ```
 */
export function toLimiterSignal(source: unknown): LimiterSignal | undefined {
  if (source instanceof ApiError) {
    if (source.status === 429 || RATE_LIMIT_ERROR.test(source.errorType ?? '')) {
      const retryAfterMs =
        source.retryAfterSec === undefined ? undefined : source.retryAfterSec * 1000;
      return { kind: 'rate_limited', retryAfterMs, reason: `HTTP ${source.status ?? 429}` };
    }
    if (source.status === 529 || OVERLOAD_ERROR.test(source.errorType ?? '')) {
      return { kind: 'overloaded' };
    }
    return undefined;
  }
  if (!isRecord(source)) return undefined;
  if (source.type === 'rate_limit_event' && isRecord(source.rate_limit_info)) {
    const info = source.rate_limit_info;
    if (info.status !== 'rejected') return undefined;
    const resetsAt = typeof info.resetsAt === 'number' ? info.resetsAt : undefined;
    const limitType = typeof info.rateLimitType === 'string' ? ` (${info.rateLimitType})` : '';
    return {
      kind: 'rate_limited',
      resetsAt:
        resetsAt === undefined || resetsAt >= EPOCH_MS_THRESHOLD ? resetsAt : resetsAt * 1000,
      reason: `rate_limit_event${limitType}`,
    };
  }
  if (source.type === 'system' && source.subtype === 'api_retry') {
    const status = typeof source.error_status === 'number' ? source.error_status : undefined;
    const error = typeof source.error === 'string' ? source.error : '';
    if (status === 429 || RATE_LIMIT_ERROR.test(error)) {
      const delay = source.retry_delay_ms;
      return {
        kind: 'rate_limited',
        retryAfterMs: typeof delay === 'number' ? delay : undefined,
        reason: `api_retry ${status ?? 'rate_limit'}`,
      };
    }
    if (status === 529 || OVERLOAD_ERROR.test(error)) return { kind: 'overloaded' };
  }
  return undefined;
}
