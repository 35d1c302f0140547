import { describe, expect, it } from 'vitest';
import { redactAt, renderValue } from '../../../src/core/validation/render-value.js';

describe('renderValue', () => {
  it.each([
    ['`-1` (number)', -1],
    ['`"abc"` (string)', 'abc'],
    ['`true` (boolean)', true],
    ['`null` (null)', null],
    ['nothing', undefined],
    ['`[1,"a"]` (array)', [1, 'a']],
    ['`{"a":1}` (object)', { a: 1 }],
    ['`NaN` (number)', Number.NaN],
    ['`10` (bigint)', 10n],
    ['a function', () => 1],
  ])('renders %s', (expected, value) => {
    expect(renderValue(value)).toBe(expected);
  });

  it('cuts a long value short', () => {
    const rendered = renderValue('x'.repeat(500));
    expect(rendered.length).toBeLessThan(100);
    expect(rendered).toContain('...');
  });
});

describe('redactAt', () => {
  it('redacts what the predicate calls secret, by its full path, nested too', () => {
    const secret = (path: readonly PropertyKey[]) => path.at(-1) === 'pin';
    expect(redactAt({ a: [{ pin: 1234, name: 'x' }] }, ['root'], secret)).toEqual({
      a: [{ pin: '[redacted]', name: 'x' }],
    });
  });

  it('leaves a missing secret missing', () => {
    expect(redactAt(undefined, ['pin'], () => true)).toBeUndefined();
  });
});
