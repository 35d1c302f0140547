import type { ResetTimeout } from './reset-timeout.js';

/**
 * A delay that grows with each opening in a row: `initialMs`, then × `multiplier`, up to
 * `maxMs`. An API that stays down is probed less and less often.
 */
export class ExponentialResetTimeout implements ResetTimeout {
  /** @param config - First delay, growth factor and ceiling, in ms. */
  constructor(
    readonly config: {
      readonly initialMs: number;
      readonly maxMs: number;
      readonly multiplier: number;
    },
  ) {}

  /** `initialMs × multiplier^(opening - 1)`, at most `maxMs`. */
  delayMs(opening: number): number {
    const { initialMs, maxMs, multiplier } = this.config;
    return Math.min(maxMs, Math.round(initialMs * multiplier ** Math.max(0, opening - 1)));
  }
}
