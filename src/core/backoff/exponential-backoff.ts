import type { Backoff } from './backoff.js';
import { type Jitter, jitterDelay } from './jitter.js';

/** Options of {@link exponentialBackoff}. All delays in ms. */
export interface ExponentialBackoffOptions {
  /** The first delay. */
  readonly initialMs: number;
  /** Upper bound of the computed delay (the `extra` jitter may add to it). */
  readonly maxMs: number;
  /** Growth factor per step. @defaultValue 2 */
  readonly multiplier?: number;
  /** How each delay is randomised. @defaultValue `{ kind: 'none' }` */
  readonly jitter?: Jitter;
  /** A source in [0, 1); injected so tests are deterministic. @defaultValue Math.random */
  readonly random?: () => number;
}

/**
 * Delays that grow by `multiplier` from `initialMs` up to `maxMs` (cockatiel's
 * `ExponentialBackoff`): step `n` (from 0) is `min(maxMs, initialMs × multiplier^n)`, then
 * randomised by `jitter`.
 *
 * @example
 * ```ts
 * const backoff = exponentialBackoff({ initialMs: 1_000, maxMs: 30_000, jitter: { kind: 'spread', factor: 0.2 } });
 * backoff.next().delayMs; // 800 to 1200
 * ```
 */
export function exponentialBackoff<C = void>(options: ExponentialBackoffOptions): Backoff<C> {
  const {
    initialMs,
    maxMs,
    multiplier = 2,
    jitter = { kind: 'none' },
    random = Math.random,
  } = options;
  const at = (step: number, previousMs: number | undefined): Backoff<C> => ({
    next: () => {
      // 0 × 2^1024 would be NaN: a zero start stays zero however many steps.
      const baseMs = initialMs === 0 ? 0 : Math.min(maxMs, initialMs * multiplier ** step);
      const delayMs = jitterDelay(jitter, { baseMs, initialMs, maxMs, previousMs, random });
      return { delayMs, next: at(step + 1, delayMs) };
    },
  });
  return at(0, undefined);
}
