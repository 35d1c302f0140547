import type { ClaudeActorsError, ErrorContext } from '../../../core/errors/claude-actors-error.js';
import type { ResultMessage } from '../../../protocol/cli-message.js';
import { ApiError } from '../errors/api-error.js';
import {
  isMissingCredentials,
  MissingCredentialsError,
} from '../errors/missing-credentials-error.js';
import { QueryFailedError } from '../errors/query-failed-error.js';
import { StartupFailedError } from '../errors/startup-failed-error.js';

/**
 * Classifies the CLI's `result` message. `undefined` means success.
 *
 * An API failure after the CLI's own retries arrives as `subtype: "success"` with
 * `is_error: true` and `terminal_reason: "api_error"`: `is_error` is what counts.
 */
export function classifyResult(
  result: ResultMessage,
  context: ErrorContext = {},
): ClaudeActorsError | undefined {
  if (!result.is_error && result.subtype === 'success') return undefined;
  const status = typeof result.api_error_status === 'number' ? result.api_error_status : undefined;
  const errorType = typeof result.api_error_type === 'string' ? result.api_error_type : undefined;
  const detail = typeof result.result === 'string' ? result.result : undefined;
  if (typeof result.startup_failure_reason === 'string' && result.startup_failure_reason !== '') {
    // An error result's own words are in `errors`; `result` is the text of the turn, if any.
    const errors = Array.isArray(result.errors) ? result.errors.map(String).join('; ') : '';
    return new StartupFailedError(result.startup_failure_reason, errors || detail, context);
  }
  // Missing credentials come with no status, like a dropped connection: they are permanent.
  if (isMissingCredentials({ status, errorType, detail })) {
    return new MissingCredentialsError(detail, context);
  }
  if (result.terminal_reason === 'api_error' || status !== undefined) {
    return new ApiError({ status, errorType, detail }, context);
  }
  return new QueryFailedError(
    {
      subtype: result.subtype === 'success' ? 'error' : result.subtype,
      terminalReason: result.terminal_reason ?? undefined,
      errors: Array.isArray(result.errors) ? result.errors.map(String) : [],
      detail,
    },
    context,
  );
}
