/** Per-child backoff state: how many restarts in a row, and when the child last started. */
export interface BackoffState {
  readonly level: number;
  readonly startedAt: number;
}

/** Decides how long to wait before restarting a child (cockatiel-style backoff family). */
export interface RestartBackoff {
  /** The delay for a child that just failed, and its next state. */
  next(state: BackoffState, now: number): { delayMs: number; level: number };
}

/** Restart with backoff (beyond OTP, as Akka Typed's `restartWithBackoff`). */
export interface RestartBackoffOptions {
  /** Delay of the first restart, ms. */
  readonly minMs: number;
  /** Upper bound of the delay, ms. */
  readonly maxMs: number;
  /** Up to this fraction of the delay is added at random. @defaultValue 0 */
  readonly randomFactor?: number;
  /** A child that ran this long without failing starts again from `minMs`. @defaultValue maxMs */
  readonly resetAfterMs?: number;
}
