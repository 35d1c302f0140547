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
