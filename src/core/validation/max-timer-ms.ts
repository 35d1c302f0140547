/**
 * The longest delay `setTimeout` honours (2³¹ − 1 ms, about 24.8 days): Node fires a longer
 * one after 1 ms. A timer option schema caps its value here with {@link MAX_TIMER_MESSAGE}.
 */
export const MAX_TIMER_MS = 2 ** 31 - 1;

/** The error of a timer option above {@link MAX_TIMER_MS}. */
export const MAX_TIMER_MESSAGE = `expected at most ${MAX_TIMER_MS} ms (about 24.8 days, the longest timer Node honours)`;

/**
 * `ms` as a delay Node honours: at most {@link MAX_TIMER_MS}, at least 0 (`NaN` is 0). For
 * delays computed from outside values (a `retry-after`, a reset time, a caller's deadline):
 * a capped timer that fires early must re-check its condition and wait again (chain).
 *
 * @example
 * ```ts
 * setTimeout(wake, clampTimerMs(resetsAt - Date.now()));
 * ```
 */
export function clampTimerMs(ms: number): number {
  if (!(ms > 0)) return 0;
  return Math.min(MAX_TIMER_MS, ms);
}
