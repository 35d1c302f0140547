/**
 * When a closed circuit breaker opens: a strategy over the outcomes of API calls (cockatiel's
 * breaker family). A policy is stateless; its state is plain JSON kept in the breaker's
 * context, so it is persisted with it.
 */
export interface BreakerPolicy<S = unknown> {
  /** The state of a freshly closed breaker. */
  initialState(now: number): S;
  /** The state after a call that reached the API and succeeded. */
  onSuccess(state: S, now: number): S;
  /** The state after a call that failed on the API side. */
  onFailure(state: S, now: number): S;
  /** Whether the breaker should open now. */
  shouldOpen(state: S, now: number): boolean;
  /** A short summary for the breaker's state view, e.g. `{ failures: 3 }`. */
  describe(state: S, now: number): Record<string, number>;
}
