import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { issueMessage } from '../../../src/core/validation/issue-message.js';

function messageOf(schema: z.ZodType, input: unknown): string | undefined {
  const parsed = schema.safeParse(input, { error: issueMessage });
  if (parsed.success) throw new Error('expected a failure');
  return parsed.error.issues[0]?.message;
}

describe('issueMessage', () => {
  it.each([
    ['a missing value', z.strictObject({ a: z.string() }), {}, 'is required'],
    ['a wrong type', z.string(), 5, 'expected a string'],
    ['an integer', z.number().int(), 1.5, 'expected an integer'],
    ['a record', z.record(z.string(), z.number()), 'x', 'expected an object'],
    ['a negative number', z.number().nonnegative(), -1, 'expected a non-negative number'],
    ['zero', z.number().positive(), 0, 'expected a positive number'],
    ['a number too small', z.number().min(3), 2, 'expected a number >= 3'],
    ['a number too big', z.number().lt(3), 3, 'expected a number < 3'],
    ['an empty string', z.string().min(1), '', 'expected a non-empty string'],
    ['an empty array', z.array(z.string()).min(1), [], 'expected a non-empty array'],
    ['a long string', z.string().max(2), 'abc', 'expected at most 2 character(s)'],
    ['a long array', z.array(z.number()).max(1), [1, 2], 'expected at most 1 item(s)'],
    ['a bad UUID', z.uuid(), 'x', 'expected a UUID'],
    ['a bad URL', z.url(), 'x', 'expected a URL'],
    ['a bad email', z.email(), 'x', 'expected a string in email format'],
    ['an enum', z.enum(['a', 'b']), 'c', 'expected one of "a", "b"'],
    ['a literal', z.literal(3), 4, 'expected 3'],
    ['a multiple', z.number().multipleOf(5), 7, 'expected a multiple of 5'],
    ['unknown keys', z.strictObject({}), { x: 1, y: 2 }, 'unknown key(s) `x`, `y`'],
    [
      'a union of types',
      z.union([z.string(), z.array(z.string())]),
      5,
      'expected a string or an array',
    ],
    [
      'a union of forms',
      z.union([z.strictObject({ a: z.string() }), z.strictObject({ b: z.string() })]),
      { c: 1 },
      'matches none of the accepted forms',
    ],
    [
      'an unknown discriminator',
      z.discriminatedUnion('kind', [
        z.strictObject({ kind: z.literal('text') }),
        z.strictObject({ kind: z.literal('hang') }),
      ]),
      { kind: 'txt' },
      'expected one of "text", "hang"',
    ],
  ])('says %s in our words', (_name, schema, input, expected) => {
    expect(messageOf(schema, input)).toBe(expected);
  });

  it('leaves a message written in the schema as it is', () => {
    const schema = z.number().refine((n) => n % 2 === 0, { error: 'expected an even number' });
    expect(messageOf(schema, 3)).toBe('expected an even number');
    expect(messageOf(z.string({ error: 'Invalid: give a name' }), 1)).toBe('Invalid: give a name');
  });

  it('does not change the messages of parses that do not ask for it', () => {
    const parsed = z.string().safeParse(5);
    expect(parsed.error?.issues[0]?.message).toMatch(/^Invalid input/);
  });
});
