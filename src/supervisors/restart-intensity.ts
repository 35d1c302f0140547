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
  const kept = times.filter((t) => t >= now - periodMs);
  kept.push(now);
  return { times: kept, exceeded: kept.length > intensity };
}
