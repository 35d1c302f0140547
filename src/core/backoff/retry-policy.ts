/** How failed attempts are retried. All delays in milliseconds. */
export interface RetryPolicy {
  /** Attempts in all, the first included. */
  readonly maxAttempts: number;
  /** Delay before the second attempt. */
  readonly initialDelayMs: number;
  /** Upper bound of any delay. */
  readonly maxDelayMs: number;
  /** Growth factor per attempt. */
  readonly multiplier: number;
  /** Fraction of each delay that is randomised, 0 to 1 (0.2 means ±20 %). */
  readonly jitter: number;
}
