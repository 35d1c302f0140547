import { z } from 'zod';
import { timerMsSchema } from '../../core/validation/timer-ms-schema.js';

/** A limit over a time window, enforced as a token bucket (see `window-limit.ts`). */
export const WindowLimitOptionsSchema = z.strictObject({
  /** Queries admitted in any window of the given length, at most. */
  limit: z.number().int().positive(),
  /**
   * Queries that may start back-to-back: the bucket's capacity, refilled at `limit` per
   * window. @defaultValue `limit`
   */
  burst: z.number().int().positive().optional(),
});

/** Tokens-per-minute budget, fed by the usage reported when permits are released. */
export const TokensPerMinuteOptionsSchema = z.strictObject({
  /** Input + output tokens per rolling minute. */
  limit: z.number().int().positive(),
  /** Tokens assumed for a query that gives no estimate. @defaultValue 0 */
  defaultEstimate: z.number().int().nonnegative().default(0),
});

/** Adaptive concurrency (AIMD): off by default; see `adaptive-concurrency.ts`. */
export const AdaptiveConcurrencyOptionsSchema = z.strictObject({
  /** @defaultValue false */
  enabled: z.boolean().default(false),
  /** The concurrency limit never shrinks below this. @defaultValue 1 */
  min: z.number().int().positive().default(1),
  /** The limit is multiplied by this on a 429 or 529. @defaultValue 0.5 */
  decreaseFactor: z.number().gt(0).lt(1).default(0.5),
  /** Successes needed to grow the limit by one. @defaultValue the current limit */
  increaseAfter: z.number().int().positive().optional(),
  /** Shrink at most once per this many ms: one wave of 429s counts once. @defaultValue 5000 */
  cooldownMs: timerMsSchema(0).default(5_000),
});

/** Options of `createRateLimiter`. Every limit is optional: an absent limit does not apply. */
export const RateLimiterOptionsSchema = z
  .strictObject({
    /** Queries per minute. */
    perMinute: WindowLimitOptionsSchema.optional(),
    /** Queries per hour. */
    perHour: WindowLimitOptionsSchema.optional(),
    /** Queries running at once. */
    maxConcurrent: z.number().int().positive().optional(),
    /** Tokens per minute. */
    tokensPerMinute: TokensPerMinuteOptionsSchema.optional(),
    /** Waiting queries beyond this are refused with `RateLimitQueueFullError`. */
    maxQueued: z.number().int().nonnegative().optional(),
    /**
     * How long to pause admission after a rate-limit signal that says nothing of when the
     * limit resets. @defaultValue 60000
     */
    defaultPauseMs: timerMsSchema(0).default(60_000),
    /**
     * The longest pause (until a rate or usage limit resets) that queries wait out: they are
     * parked until the reset, their retry budget and total timeout untouched. A pause longer
     * than this fails the waiting queries with `UsageLimitError` naming the reset time.
     * Claude's usage limits reset within 5 hours. @defaultValue 21_600_000 (6 h)
     */
    // Compared with a wait, never scheduled: no timer cap.
    parkHorizonMs: z.number().int().nonnegative().default(21_600_000),
    /** Adaptive concurrency; needs `maxConcurrent` (the ceiling it grows back to). */
    adaptive: AdaptiveConcurrencyOptionsSchema.optional(),
  })
  .refine((options) => !options.adaptive?.enabled || options.maxConcurrent !== undefined, {
    message: 'adaptive concurrency needs `maxConcurrent` (the limit it starts from and grows to)',
    path: ['adaptive', 'enabled'],
  })
  .refine(
    (options) => (options.adaptive?.min ?? 1) <= (options.maxConcurrent ?? Number.MAX_VALUE),
    { message: 'expected a number <= maxConcurrent', path: ['adaptive', 'min'] },
  );

/** Options of `createRateLimiter`, as callers write them. */
export type RateLimiterOptions = z.input<typeof RateLimiterOptionsSchema>;

/** Options of `createRateLimiter` with defaults applied. */
export type ResolvedRateLimiterOptions = z.output<typeof RateLimiterOptionsSchema>;
