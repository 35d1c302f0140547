import { ClaudeActorsError, type ErrorContext } from '../../../core/errors/claude-actors-error.js';
import type { QueryErrorCode } from './query-error-code.js';

/** HTTP statuses that mean "try again later". */
const TRANSIENT_STATUSES = new Set([408, 409, 429, 500, 502, 503, 504, 529]);

/** Whether an Anthropic API status (or a missing one: a dropped connection) is transient. */
export function isTransientStatus(status: number | undefined): boolean {
  return status === undefined || TRANSIENT_STATUSES.has(status) || status >= 500;
}

/** The Anthropic API refused or failed the request, as reported by the CLI. */
export class ApiError extends ClaudeActorsError {
  readonly code = 'API_ERROR' satisfies QueryErrorCode;
  /** HTTP status; `undefined` for a connection that failed or dropped. */
  readonly status: number | undefined;
  /** Anthropic error type such as `overloaded_error`, or the CLI's own tag such as `rate_limit`. */
  readonly errorType: string | undefined;
  /** Seconds the API asked to wait, when it said. */
  readonly retryAfterSec: number | undefined;

  constructor(
    details: {
      status?: number | undefined;
      errorType?: string | undefined;
      detail?: string | undefined;
      retryAfterSec?: number | undefined;
    },
    context: ErrorContext = {},
  ) {
    const status = details.status;
    const what = status === undefined ? 'a connection error' : `HTTP ${status}`;
    const kind = details.errorType ? ` (${details.errorType})` : '';
    const advice = isTransientStatus(status)
      ? 'This is usually temporary.'
      : status === 401 || status === 403
        ? 'Check the API key or credentials given to the CLI.'
        : 'The request itself was rejected; retrying will not help.';
    super(
      `The Anthropic API answered with ${what}${kind}${details.detail ? `: ${details.detail}` : ''}. ${advice}`,
      { ...context, retryable: isTransientStatus(status) },
    );
    this.status = status;
    this.errorType = details.errorType;
    this.retryAfterSec = details.retryAfterSec;
  }

  override retryAfterMs(): number | undefined {
    return this.retryAfterSec === undefined ? undefined : this.retryAfterSec * 1000;
  }
}
