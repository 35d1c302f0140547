import { CancelledError } from '../../core/errors/cancelled-error.js';

/**
 * @internal `onStopped` of a request to a shared actor: a {@link CancelledError} saying that
 * `actor` (e.g. `the rate limiter`) is not running, or stopped before it answered.
 */
export function cancelledIfStopped(actor: string, requestId: string) {
  return (when: 'not_running' | 'stopped'): never => {
    const why = when === 'not_running' ? `${actor} is not running` : `${actor} stopped`;
    throw new CancelledError(why, { queryId: requestId });
  };
}

/** @internal `onAbort` of a request to a shared actor: a {@link CancelledError} with the reason. */
export function cancelledOnAbort(requestId: string) {
  return (reason: unknown): never => {
    throw new CancelledError(reason, { queryId: requestId });
  };
}
