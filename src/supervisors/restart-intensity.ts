/**
 * OTP's restart counting: restart times before `now - periodMs` are dropped (one exactly a
 * period old still counts), the new one is
 * added, and the supervisor gives up when more than `intensity` remain. One counter covers all
 * children.
 *
 * @returns the kept restart times and whether the limit is exceeded
 */
export function addRestart(
  times: readonly number[],
  now: number,
  intensity: number,
  periodMs: number,
): { times: number[]; exceeded: boolean } {
  const kept = [...times].sort((a, b) => a - b);
  return { times: kept, exceeded: recordRestart(kept, now, intensity, periodMs) };
}

/**
 * @internal {@link addRestart} in place, for a supervisor's own list of restart times, which
 * it keeps sorted: the stale ones are cut from the front, so a restart costs no copy of the
 * list and no closure per kept time, even with an intensity of thousands.
 *
 * @returns whether the limit is exceeded
 */
export function recordRestart(
  times: number[],
  now: number,
  intensity: number,
  periodMs: number,
): boolean {
  const since = now - periodMs;
  let stale = 0;
  while (stale < times.length && times[stale]! < since) stale++;
  if (stale > 0) times.splice(0, stale);
  const last = times[times.length - 1];
  times.push(now);
  // The clock stepped back (rare): keep the list sorted, so the cut above stays exact.
  if (last !== undefined && last > now) times.sort((a, b) => a - b);
  return times.length > intensity;
}
