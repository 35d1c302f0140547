import type { BackoffState, RestartBackoff, RestartBackoffOptions } from './restart-backoff.js';

/**
 * Akka Typed's `restartWithBackoff`: delays double from `minMs` up to `maxMs`, plus up to
 * `randomFactor` of extra delay, and start again from `minMs` once a child has run for
 * `resetAfterMs` without failing.
 */
export class ExponentialRestartBackoff implements RestartBackoff {
  readonly #options: Required<RestartBackoffOptions>;
  readonly #random: () => number;

  constructor(options: Required<RestartBackoffOptions>, random: () => number = Math.random) {
    this.#options = options;
    this.#random = random;
  }

  next(state: BackoffState, now: number): { delayMs: number; level: number } {
    const { minMs, maxMs, randomFactor, resetAfterMs } = this.#options;
    const level = now - state.startedAt >= resetAfterMs ? 0 : state.level;
    const base = Math.min(maxMs, minMs * 2 ** level);
    const delayMs = Math.round(base * (1 + randomFactor * this.#random()));
    return { delayMs, level: level + 1 };
  }
}
