/**
 * Shared resilience actors: a rate limiter, a circuit breaker, and a budget and stats actor,
 * each plain XState logic with a small Promise client.
 *
 * @packageDocumentation
 */

export type { BreakerPolicy } from './breaker/breaker-policy.js';
export type { BreakerOutcome, BreakerState } from './breaker/breaker-state.js';
export {
  type AllowRequest,
  type CircuitBreakerClient,
  circuitBreakerClient,
} from './breaker/circuit-breaker-client.js';
export {
  type CircuitBreakerOptions,
  CircuitBreakerOptionsSchema,
  type ResolvedCircuitBreakerOptions,
} from './breaker/circuit-breaker-options.js';
export type {
  BreakerContext,
  CircuitBreakerEmitted,
  CircuitBreakerEvent,
  CircuitBreakerReply,
} from './breaker/circuit-breaker-types.js';
export {
  ConsecutiveFailuresPolicy,
  type ConsecutiveFailuresState,
} from './breaker/consecutive-failures-policy.js';
export { countsAsApiFailure } from './breaker/counts-as-api-failure.js';
export {
  type CircuitBreakerLogic,
  type CircuitBreakerRef,
  type CircuitBreakerSnapshot,
  createCircuitBreaker,
} from './breaker/create-circuit-breaker.js';
export {
  type FailureRatioConfig,
  FailureRatioPolicy,
  type FailureRatioState,
  type RatioBucket,
} from './breaker/failure-ratio-policy.js';
export { ExponentialResetTimeout } from './breaker/reset-timeout/exponential-reset-timeout.js';
export { FixedResetTimeout } from './breaker/reset-timeout/fixed-reset-timeout.js';
export type { ResetTimeout } from './breaker/reset-timeout/reset-timeout.js';
export { type BudgetClient, type BudgetRequest, budgetClient } from './budget/budget-client.js';
export {
  type BudgetLimit,
  type BudgetOptions,
  BudgetOptionsSchema,
  type ResolvedBudgetOptions,
} from './budget/budget-options.js';
export type {
  BudgetContext,
  BudgetEmitted,
  BudgetEvent,
  BudgetReply,
} from './budget/budget-types.js';
export { checkBudget, remainingUsd } from './budget/check-budget.js';
export {
  type BudgetLogic,
  type BudgetRef,
  type BudgetSnapshot,
  createBudget,
} from './budget/create-budget.js';
export type { BudgetSpending, Spending } from './budget/spending.js';
export { type Stats, type StatsEntry, UNKNOWN_MODEL } from './budget/stats.js';
export * from './errors/index.js';
export {
  type AdaptiveConcurrencyConfig,
  adaptConcurrency,
  type ConcurrencyState,
} from './limiter/adaptive-concurrency.js';
export {
  createRateLimiter,
  type RateLimiterLogic,
  type RateLimiterPersistedSnapshot,
  type RateLimiterSnapshot,
} from './limiter/create-rate-limiter.js';
export {
  type AcquireRequest,
  type RateLimiterClient,
  type RateLimiterRef,
  rateLimiterClient,
} from './limiter/rate-limiter-client.js';
export {
  type RateLimiterOptions,
  RateLimiterOptionsSchema,
  type ResolvedRateLimiterOptions,
} from './limiter/rate-limiter-options.js';
export type {
  LimiterSignal,
  Permit,
  PermitUsage,
  RateLimiterEmitted,
  RateLimiterEvent,
  RateLimiterPersistedState,
  RateLimiterReply,
  RateLimiterStateView,
} from './limiter/rate-limiter-types.js';
export { toLimiterSignal } from './limiter/to-limiter-signal.js';
