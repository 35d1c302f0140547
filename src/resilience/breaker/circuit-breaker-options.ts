import { z } from 'zod';
import { timerMsSchema } from '../../core/validation/timer-ms-schema.js';

/** Opens after `threshold` API failures in a row. */
export const ConsecutiveFailuresOptionsSchema = z.strictObject({
  kind: z.literal('consecutive'),
  /** @defaultValue 5 */
  threshold: z.number().int().positive().default(5),
});

/** Opens when the failure ratio over a rolling window reaches `threshold`. */
export const FailureRatioOptionsSchema = z.strictObject({
  kind: z.literal('ratio'),
  /** Failure ratio in (0, 1]. @defaultValue 0.5 */
  threshold: z.number().gt(0).max(1).default(0.5),
  /** @defaultValue 60000 */
  windowMs: timerMsSchema(1).default(60_000),
  /** Calls the window must hold before the ratio counts. @defaultValue 10 */
  minimumCalls: z.number().int().positive().default(10),
  /** Time slices the window is kept in. @defaultValue 10 */
  buckets: z.number().int().positive().max(1_000).default(10),
});

/** A delay that grows with each opening in a row. */
export const ExponentialResetTimeoutSchema = z.strictObject({
  kind: z.literal('exponential'),
  /** @defaultValue 30000 */
  initialMs: timerMsSchema(0).default(30_000),
  /** @defaultValue 600000 */
  maxMs: timerMsSchema(0).default(600_000),
  /** @defaultValue 2 */
  multiplier: z.number().min(1).default(2),
});

/** Options of `createCircuitBreaker`. */
export const CircuitBreakerOptionsSchema = z.strictObject({
  /** When the closed breaker opens. @defaultValue `{ kind: 'consecutive', threshold: 5 }` */
  policy: z
    .discriminatedUnion('kind', [ConsecutiveFailuresOptionsSchema, FailureRatioOptionsSchema])
    .default({ kind: 'consecutive', threshold: 5 }),
  /**
   * How long it stays open before probing: fixed ms, or `{ kind: 'exponential', … }`.
   * @defaultValue 30000
   */
  resetTimeout: z
    .union([
      timerMsSchema(0),
      z.strictObject({ kind: z.literal('fixed'), ms: timerMsSchema(0) }),
      ExponentialResetTimeoutSchema,
    ])
    .default(30_000),
  /** Probe queries let through while half-open; all must succeed to close. @defaultValue 1 */
  halfOpenProbes: z.number().int().positive().default(1),
  /** Which errors count as API failures. @defaultValue `countsAsApiFailure` */
  isApiFailure: z
    .custom<(error: unknown) => boolean>((value) => typeof value === 'function', {
      message: 'expected a function',
    })
    .optional(),
});

/** Options of `createCircuitBreaker`, as callers write them. */
export type CircuitBreakerOptions = z.input<typeof CircuitBreakerOptionsSchema>;

/** Options of `createCircuitBreaker` with defaults applied. */
export type ResolvedCircuitBreakerOptions = z.output<typeof CircuitBreakerOptionsSchema>;
