import { describe, expect, it } from 'vitest';
import { addRestart, recordRestart } from '../../src/supervisors/restart-intensity.js';

/** OTP's rule written out: keep times >= now - period, add now, exceeded when > intensity. */
function reference(times: readonly number[], now: number, intensity: number, periodMs: number) {
  const kept = [...times.filter((t) => t >= now - periodMs), now];
  return { count: kept.length, exceeded: kept.length > intensity };
}

describe('restart counting', () => {
  it.each<[string, number[], number]>([
    ['no earlier restarts', [], 10_000],
    ['all within the period', [6_000, 7_000, 9_000], 10_000],
    ['some older than the period', [1_000, 4_999, 5_000, 9_000], 10_000],
    ['one exactly a period old still counts', [5_000], 10_000],
    ['all stale', [1_000, 2_000], 10_000],
    ['the clock stepped back', [8_000, 12_000], 9_000],
  ])('recordRestart agrees with OTP’s rule: %s', (_, times, now) => {
    const expected = reference(times, now, 2, 5_000);
    const list = [...times];
    expect(recordRestart(list, now, 2, 5_000)).toBe(expected.exceeded);
    expect(list).toHaveLength(expected.count);
    expect(list).toEqual([...list].sort((a, b) => a - b));
    expect(addRestart(times, now, 2, 5_000)).toEqual({
      times: list,
      exceeded: expected.exceeded,
    });
  });

  it('stays exact over a long run with the clock stepping back now and then', () => {
    const list: number[] = [];
    let all: number[] = [];
    let now = 0;
    for (let i = 0; i < 2_000; i++) {
      now += i % 97 === 0 ? -3_000 : 137;
      const expected = reference(all, now, 50, 4_000);
      all = [...all.filter((t) => t >= now - 4_000), now];
      expect(recordRestart(list, now, 50, 4_000)).toBe(expected.exceeded);
      expect(list.length).toBe(expected.count);
    }
  });
});
