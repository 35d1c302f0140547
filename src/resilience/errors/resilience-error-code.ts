import type { ErrorCode } from '../../errors/claude-actors-error.js';

/**
 * Codes of the errors raised by the resilience actors. They are not yet members of
 * {@link ErrorCode}; until they are, each error class casts its code (see {@link asErrorCode}).
 */
export type ResilienceErrorCode = 'CIRCUIT_OPEN' | 'BUDGET_EXCEEDED' | 'RATE_LIMIT_QUEUE_FULL';

/**
 * A resilience code typed as an {@link ErrorCode}.
 * @internal The double cast goes once the codes join the `ErrorCode` union.
 */
export function asErrorCode(code: ResilienceErrorCode): ErrorCode {
  return code as string as ErrorCode;
}
