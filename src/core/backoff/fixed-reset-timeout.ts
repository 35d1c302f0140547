import type { ResetTimeout } from './reset-timeout.js';

/** The same delay after every opening. */
export class FixedResetTimeout implements ResetTimeout {
  /** @param ms - The delay, in ms. */
  constructor(readonly ms: number) {}

  /** Always {@link ms}. */
  delayMs(): number {
    return this.ms;
  }
}
