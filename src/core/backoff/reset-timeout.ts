/**
 * How long an opened breaker stays open before it lets probe queries through: a strategy
 * (cockatiel's `halfOpenAfter` backoff family).
 */
export interface ResetTimeout {
  /**
   * The delay of the `opening`-th opening in a row (1 for the first; reset when the breaker
   * closes again).
   */
  delayMs(opening: number): number;
}
