import { z } from 'zod';
import { MAX_TIMER_MESSAGE, MAX_TIMER_MS } from './max-timer-ms.js';

/**
 * A millisecond option that becomes a timer: an integer of at least `min`, at most
 * {@link MAX_TIMER_MS} (a longer `setTimeout` fires after 1 ms), so `1e12` is refused with
 * {@link MAX_TIMER_MESSAGE} instead of meaning "at once".
 *
 * @example
 * ```ts
 * const Schema = z.strictObject({ maxIdleMs: timerMsSchema(1).default(300_000) });
 * ```
 * @defaultValue `min` is 0
 */
export function timerMsSchema(min = 0): z.ZodNumber {
  const int = z.number().int();
  // 0 and 1 keep the usual wording ("expected a non-negative / positive number").
  const floored = min === 0 ? int.nonnegative() : min === 1 ? int.positive() : int.min(min);
  return floored.max(MAX_TIMER_MS, { error: MAX_TIMER_MESSAGE });
}
