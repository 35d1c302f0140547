/**
 * How an exponential delay is randomised, so that many callers failing together do not retry
 * together:
 * - `none`: the delay as computed.
 * - `spread`: ± `factor` of the delay (0.2 is ±20 %), never above the cap nor below 0.
 * - `extra`: up to `factor` of the delay added (Akka's `randomFactor`); may go above the cap.
 * - `full`: anything from 0 to the delay (AWS "full jitter").
 * - `decorrelated`: from the first delay to three times the previous one, capped (AWS
 *   "decorrelated jitter"); grows on its own, whatever the multiplier.
 */
export type Jitter =
  | { readonly kind: 'none' }
  | { readonly kind: 'spread'; readonly factor: number }
  | { readonly kind: 'extra'; readonly factor: number }
  | { readonly kind: 'full' }
  | { readonly kind: 'decorrelated' };

/** What {@link jitterDelay} needs besides the jitter kind. @internal */
export interface JitterInput {
  /** The exponential delay of this step, already capped. */
  readonly baseMs: number;
  readonly initialMs: number;
  readonly maxMs: number;
  /** The previous delay given, or `undefined` for the first step. */
  readonly previousMs: number | undefined;
  /** A source in [0, 1). */
  readonly random: () => number;
}

/** The delay of one step with `jitter` applied, rounded to whole ms. @internal */
export function jitterDelay(jitter: Jitter, input: JitterInput): number {
  const { baseMs, initialMs, maxMs, previousMs, random } = input;
  switch (jitter.kind) {
    case 'none':
      return Math.round(baseMs);
    case 'spread':
      return Math.round(
        Math.min(maxMs, Math.max(0, baseMs * (1 + jitter.factor * (2 * random() - 1)))),
      );
    case 'extra':
      return Math.round(baseMs * (1 + jitter.factor * random()));
    case 'full':
      return Math.round(baseMs * random());
    case 'decorrelated': {
      const high = Math.max(initialMs, 3 * (previousMs ?? initialMs));
      return Math.round(Math.min(maxMs, initialMs + random() * (high - initialMs)));
    }
  }
}
