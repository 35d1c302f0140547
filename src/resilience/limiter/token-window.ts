/** The persisted state of the tokens-per-minute budget: plain JSON, times in epoch ms. */
export interface TokenWindowState {
  /** `[epoch ms, tokens]` of each released query's usage inside the window, oldest first. */
  entries: Array<[number, number]>;
  /** Sum of the tokens of {@link entries}. */
  used: number;
}

/** The rolling window of the tokens-per-minute budget. */
export const TOKEN_WINDOW_MS = 60_000;

function prune(state: TokenWindowState, now: number): number {
  const entries = state.entries;
  while (entries.length > 0 && entries[0]![0] <= now - TOKEN_WINDOW_MS) {
    state.used -= entries.shift()![1];
  }
  if (entries.length === 0) state.used = 0;
  return state.used;
}

/** Tokens used in the last minute (released usage only). */
export function tokensUsed(state: TokenWindowState, now: number): number {
  return prune(state, now);
}

/**
 * When a query estimated at `estimate` tokens fits the budget: `0` now, a delay in ms once
 * enough usage leaves the window, or `undefined` when only releases can make room (the
 * estimates of running queries fill the budget).
 *
 * A query always fits when nothing is used or reserved: an estimate above the whole budget
 * must not wait forever.
 */
export function tokenWaitMs(
  state: TokenWindowState,
  limit: number,
  reserved: number,
  estimate: number,
  now: number,
): number | undefined {
  const fits = (used: number) => used + reserved === 0 || used + reserved + estimate <= limit;
  let used = prune(state, now);
  if (fits(used)) return 0;
  for (const [at, tokens] of state.entries) {
    used -= tokens;
    if (fits(used)) return at + TOKEN_WINDOW_MS - now;
  }
  return undefined;
}

/** Records the usage of a query released now. */
export function recordTokens(state: TokenWindowState, tokens: number, now: number): void {
  if (tokens <= 0) return;
  state.entries.push([now, tokens]);
  state.used += tokens;
}
