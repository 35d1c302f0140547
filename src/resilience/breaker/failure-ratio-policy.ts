import type { BreakerPolicy } from './breaker-policy.js';

/** One time slice of the window: `[start epoch ms, successes, failures]`. */
export type RatioBucket = readonly [start: number, successes: number, failures: number];

/** State of {@link FailureRatioPolicy}: the slices of the window, oldest first. */
export interface FailureRatioState {
  readonly buckets: readonly RatioBucket[];
}

/** Settings of {@link FailureRatioPolicy}. */
export interface FailureRatioConfig {
  /** Failure ratio (0..1] at or above which the breaker opens. */
  readonly threshold: number;
  /** Length of the rolling window, in ms. */
  readonly windowMs: number;
  /** Calls the window must hold before the ratio counts: three failures of three is noise. */
  readonly minimumCalls: number;
  /** Slices of the window (memory is per slice, not per call). */
  readonly buckets: number;
}

/**
 * Opens when, over a rolling window, at least `minimumCalls` calls were made and the share of
 * API failures reaches `threshold` (cockatiel's `SamplingBreaker`). The window is kept as
 * `buckets` time slices, so a breaker over 10,000 calls a minute stays small.
 */
export class FailureRatioPolicy implements BreakerPolicy<FailureRatioState> {
  readonly #config: FailureRatioConfig;
  readonly #sliceMs: number;

  /** @param config - Threshold, window and minimum number of calls. */
  constructor(config: FailureRatioConfig) {
    this.#config = config;
    this.#sliceMs = Math.max(1, Math.ceil(config.windowMs / config.buckets));
  }

  /** An empty window. */
  initialState(): FailureRatioState {
    return { buckets: [] };
  }

  /** Counts a success in the current slice. */
  onSuccess(state: FailureRatioState, now: number): FailureRatioState {
    return this.#add(state, now, 1, 0);
  }

  /** Counts a failure in the current slice. */
  onFailure(state: FailureRatioState, now: number): FailureRatioState {
    return this.#add(state, now, 0, 1);
  }

  /** Open when enough calls were made and enough of them failed. */
  shouldOpen(state: FailureRatioState, now: number): boolean {
    const { calls, failures } = this.#totals(state, now);
    return calls >= this.#config.minimumCalls && failures / calls >= this.#config.threshold;
  }

  /** `{ calls, failures }` in the window. */
  describe(state: FailureRatioState, now: number): Record<string, number> {
    return this.#totals(state, now);
  }

  #live(state: FailureRatioState, now: number): RatioBucket[] {
    return state.buckets.filter(([start]) => start + this.#sliceMs > now - this.#config.windowMs);
  }

  #totals(state: FailureRatioState, now: number): { calls: number; failures: number } {
    let calls = 0;
    let failures = 0;
    for (const [, ok, failed] of this.#live(state, now)) {
      calls += ok + failed;
      failures += failed;
    }
    return { calls, failures };
  }

  #add(state: FailureRatioState, now: number, ok: number, failed: number): FailureRatioState {
    const start = now - (now % this.#sliceMs);
    const buckets = this.#live(state, now);
    const last = buckets[buckets.length - 1];
    if (last && last[0] === start) {
      buckets[buckets.length - 1] = [start, last[1] + ok, last[2] + failed];
    } else {
      buckets.push([start, ok, failed]);
    }
    return { buckets };
  }
}
