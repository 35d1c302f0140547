/** A resolved window limit: at most `limit` per `windowMs`, at most `burst` back-to-back. */
export interface WindowLimitConfig {
  readonly limit: number;
  readonly burst: number;
  readonly windowMs: number;
}

/** The persisted state of one window limit: plain JSON, times in epoch ms. */
export interface WindowLimitState {
  /** Tokens in the bucket at {@link updatedAt}. */
  tokens: number;
  /** When {@link tokens} was computed (epoch ms). */
  updatedAt: number;
  /** Admission times (epoch ms) of the last `limit` admissions inside the window, oldest first. */
  log: number[];
}

// Refill is fractional: a bucket that is 1e-12 short of a token has it.
const EPSILON = 1e-9;

/** A full bucket. */
export function initialWindowState(config: WindowLimitConfig, now: number): WindowLimitState {
  return { tokens: config.burst, updatedAt: now, log: [] };
}

function refill(state: WindowLimitState, config: WindowLimitConfig, now: number): void {
  if (now > state.updatedAt) {
    const added = ((now - state.updatedAt) * config.limit) / config.windowMs;
    state.tokens = Math.min(config.burst, state.tokens + added);
    state.updatedAt = now;
  }
  const log = state.log;
  while (log.length > 0 && log[0]! <= now - config.windowMs) log.shift();
}

/**
 * Milliseconds until one more query may be admitted (0: now).
 *
 * Two rules, both needed: the token bucket (capacity `burst`, refilled at `limit / windowMs`)
 * spaces queries out once a burst is spent; the sliding log caps any window of `windowMs` at
 * `limit` queries, which a bucket alone does not (a full bucket plus a window of refill would
 * admit `burst + limit`). The API counts per window, so the cap is what keeps us under it.
 */
export function windowWaitMs(state: WindowLimitState, config: WindowLimitConfig, now: number) {
  refill(state, config, now);
  const bucketWait =
    state.tokens >= 1 - EPSILON
      ? 0
      : Math.ceil(((1 - state.tokens) * config.windowMs) / config.limit);
  const log = state.log;
  const logWait =
    log.length >= config.limit ? log[log.length - config.limit]! + config.windowMs - now : 0;
  return Math.max(bucketWait, logWait, 0);
}

/** Takes a token for a query admitted now. Call only when {@link windowWaitMs} is 0. */
export function takeFromWindow(state: WindowLimitState, config: WindowLimitConfig, now: number) {
  refill(state, config, now);
  state.tokens = Math.max(0, state.tokens - 1);
  state.log.push(now);
  if (state.log.length > config.limit) state.log.shift();
}

/** Whole tokens left in the bucket now, and under the window cap. */
export function windowTokensLeft(state: WindowLimitState, config: WindowLimitConfig, now: number) {
  refill(state, config, now);
  return Math.max(0, Math.min(Math.floor(state.tokens + EPSILON), config.limit - state.log.length));
}
