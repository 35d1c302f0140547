import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import {
  formatPath,
  formatZodIssues,
  renderValue,
} from '../../../src/core/validation/format-zod-issues.js';

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

describe('formatPath', () => {
  it.each([
    [['retry', 'maxAttempts'], 'retry.maxAttempts'],
    [['allowedTools', 1], 'allowedTools[1]'],
    [['env', 'MY.VAR'], 'env["MY.VAR"]'],
    [[], ''],
  ])('formats %j as %s', (path, expected) => {
    expect(formatPath(path)).toBe(expected);
  });
});

describe('formatZodIssues', () => {
  it('works on any schema, reading values from the input and redacting secret keys', () => {
    const schema = z.strictObject({ port: z.number().int(), token: z.string() });
    const input = { port: 'x', token: 42, extra: 1 };
    const parsed = schema.safeParse(input);
    if (parsed.success) throw new Error('expected a failure');
    const issues = formatZodIssues(parsed.error, input, { knownKeys: () => ['port', 'token'] });
    expect(issues).toEqual([
      { path: 'port', message: 'expected a number', received: '`"x"` (string)' },
      { path: 'token', message: 'expected a string', received: '[redacted]' },
      { path: 'extra', message: 'unknown key', received: '`1` (number)' },
    ]);
  });

  it('keeps a message written for the schema', () => {
    const schema = z.number().refine((n) => n % 2 === 0, { error: 'expected an even number' });
    const parsed = schema.safeParse(3);
    if (parsed.success) throw new Error('expected a failure');
    expect(formatZodIssues(parsed.error, 3)[0]?.message).toBe('expected an even number');
  });
});
