import type { ErrorContext } from '../../../core/errors/claude-actors-error.js';
import type { ApiRetryMessage } from '../../../protocol/cli-message.js';
import { ApiError, isTransientStatus } from '../errors/api-error.js';
import {
  isMissingCredentials,
  MissingCredentialsError,
} from '../errors/missing-credentials-error.js';

/**
 * Decides whether an `api_retry` notice means the attempt is already lost.
 *
 * The CLI retries every failed request itself, including ones that can never succeed: a 401
 * is retried ten times over about three minutes. A status that is not transient ends the
 * attempt at once with a permanent {@link ApiError}, missing credentials with a
 * {@link MissingCredentialsError}; a transient one is left to the CLI.
 */
export function classifyApiRetry(
  message: ApiRetryMessage,
  context: ErrorContext = {},
): ApiError | MissingCredentialsError | undefined {
  const status = typeof message.error_status === 'number' ? message.error_status : undefined;
  const errorType = typeof message.error === 'string' ? message.error : undefined;
  // `authentication_failed` with no status is not a dropped connection: it never heals.
  if (isMissingCredentials({ status, errorType })) {
    return new MissingCredentialsError(errorType, context);
  }
  if (status === undefined || isTransientStatus(status)) return undefined;
  return new ApiError(
    {
      status,
      errorType: typeof message.error === 'string' ? message.error : undefined,
      detail: 'reported by the CLI while it was retrying',
    },
    context,
  );
}
