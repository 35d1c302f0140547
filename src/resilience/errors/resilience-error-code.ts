/** Codes of the errors raised by the resilience actors. */
export type ResilienceErrorCode = 'CIRCUIT_OPEN' | 'BUDGET_EXCEEDED' | 'RATE_LIMIT_QUEUE_FULL';
