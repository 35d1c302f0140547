export {
  BudgetExceededError,
  type BudgetScope,
  type BudgetUnit,
} from './budget-exceeded-error.js';
export { CircuitOpenError } from './circuit-open-error.js';
export { RateLimitQueueFullError } from './rate-limit-queue-full-error.js';
export type { ResilienceErrorCode } from './resilience-error-code.js';
