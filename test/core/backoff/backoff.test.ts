import { describe, expect, it } from 'vitest';
import { delayAt } from '../../../src/core/backoff/backoff.js';
import { exponentialBackoff } from '../../../src/core/backoff/exponential-backoff.js';
import { iterableBackoff } from '../../../src/core/backoff/iterable-backoff.js';

describe('delayAt', () => {
  it.each([
    [1, 100],
    [2, 200],
    [3, 400],
    [5, 1_000],
  ])('gives step %i of a sequence: %i ms', (n, expected) => {
    expect(delayAt(exponentialBackoff({ initialMs: 100, maxMs: 1_000 }), n, undefined)).toBe(
      expected,
    );
  });

  it('passes the context to every step', () => {
    const seen: string[] = [];
    const backoff = {
      next: (context: string) => {
        seen.push(context);
        return { delayMs: 1, next: backoff };
      },
    };
    delayAt(backoff, 3, 'ctx');
    expect(seen).toEqual(['ctx', 'ctx', 'ctx']);
  });

  it.each([0, -1, 1.5, Number.NaN])('refuses step %d, naming it', (n) => {
    expect(() => delayAt(iterableBackoff([1]), n, undefined)).toThrow(
      `Expected a positive integer step, got \`${n}\` (number)`,
    );
  });
});
