import type { BreakerPolicy } from './breaker-policy.js';

/** State of {@link ConsecutiveFailuresPolicy}. */
export interface ConsecutiveFailuresState {
  /** API failures since the last success. */
  readonly failures: number;
}

/**
 * Opens after `threshold` API failures in a row; any success starts the count again
 * (cockatiel's `ConsecutiveBreaker`).
 */
export class ConsecutiveFailuresPolicy implements BreakerPolicy<ConsecutiveFailuresState> {
  /** @param threshold - API failures in a row that open the breaker. */
  constructor(readonly threshold: number) {}

  /** No failures yet. */
  initialState(): ConsecutiveFailuresState {
    return { failures: 0 };
  }

  /** A success resets the run of failures. */
  onSuccess(): ConsecutiveFailuresState {
    return { failures: 0 };
  }

  /** One more failure in a row. */
  onFailure(state: ConsecutiveFailuresState): ConsecutiveFailuresState {
    return { failures: state.failures + 1 };
  }

  /** Open once the run reaches the threshold. */
  shouldOpen(state: ConsecutiveFailuresState): boolean {
    return state.failures >= this.threshold;
  }

  /** `{ failures }`. */
  describe(state: ConsecutiveFailuresState): Record<string, number> {
    return { failures: state.failures };
  }
}
