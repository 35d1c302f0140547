import { ClaudeActorsError, type ErrorContext } from '../../../core/errors/claude-actors-error.js';
import type { QueryErrorCode } from './query-error-code.js';

/** The CLI's tag (on `api_retry`, an assistant message or a result) for refused credentials. */
const AUTH_TAG = /authentication_failed|authentication_error/i;
/** What the CLI writes when it has no credentials at all, or the key is refused. */
const AUTH_TEXT = /not logged in|please run \/login|invalid api key|invalid x-api-key/i;

/**
 * The CLI has no credentials, or they were refused: no `ANTHROPIC_API_KEY` in its environment
 * and no login. The CLI reports this as `authentication_failed` with no HTTP status, which
 * looks like a dropped connection; it is not: running the query again cannot help, so it is
 * permanent and never counts towards the circuit breaker.
 */
export class MissingCredentialsError extends ClaudeActorsError {
  readonly code = 'MISSING_CREDENTIALS' satisfies QueryErrorCode;
  /** What the CLI said (`Not logged in · Please run /login`), when it said something. */
  readonly detail: string | undefined;

  constructor(detail: string | undefined, context: ErrorContext = {}) {
    super(
      `The Claude CLI has no usable credentials${detail ? ` (${detail})` : ''}. ` +
        'Set ANTHROPIC_API_KEY in the environment given to the CLI, or log in with `claude /login`.',
      { ...context, retryable: false },
    );
    this.detail = detail;
  }
}

/**
 * Whether what the CLI reported (its error tag, its message) with no HTTP status means missing
 * credentials. A 401 or 403 from the API stays a (permanent) `ApiError` with its status.
 */
export function isMissingCredentials(facts: {
  readonly errorType?: string | undefined;
  readonly detail?: string | undefined;
  readonly status?: number | undefined;
}): boolean {
  if (facts.status !== undefined) return false;
  return AUTH_TAG.test(facts.errorType ?? '') || AUTH_TEXT.test(facts.detail ?? '');
}
