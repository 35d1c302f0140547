import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { sampleJsonSchema } from '../../src/testing/sample-json-schema.js';

/** zod's JSON Schema of a schema, as `outputSchema` sends it to the CLI. */
const jsonOf = (schema: z.ZodType) => z.toJSONSchema(schema) as Record<string, unknown>;

describe('sampleJsonSchema', () => {
  it.each([
    ['string', { type: 'string' }, 'text'],
    ['integer', { type: 'integer' }, 1],
    ['number', { type: 'number' }, 1],
    ['boolean', { type: 'boolean' }, true],
    ['null', { type: 'null' }, null],
    ['const', { const: 'fixed' }, 'fixed'],
    ['enum', { enum: ['red', 'green'] }, 'red'],
    ['default', { type: 'string', default: 'dflt' }, 'dflt'],
    ['type list', { type: ['null', 'integer'] }, 1],
    [
      'anyOf with null',
      { anyOf: [{ type: 'null' }, { type: 'string', format: 'email' }] },
      'user@example.com',
    ],
    ['minimum', { type: 'integer', minimum: 5 }, 5],
    ['exclusiveMinimum', { type: 'integer', exclusiveMinimum: 5 }, 6],
    ['maximum below 1', { type: 'integer', maximum: -3 }, -3],
    ['exclusiveMaximum', { type: 'number', exclusiveMaximum: 0 }, -0.5],
    ['multipleOf', { type: 'integer', minimum: 7, multipleOf: 5 }, 10],
    ['minLength', { type: 'string', minLength: 8 }, 'textxxxx'],
    ['maxLength', { type: 'string', maxLength: 2 }, 'xt'],
    ['format date-time', { type: 'string', format: 'date-time' }, '2026-01-01T00:00:00.000Z'],
  ])('samples %s', (_name, schema, expected) => {
    expect(sampleJsonSchema(schema)).toEqual(expected);
  });

  it('fills every declared property of an object, named after its key', () => {
    expect(
      sampleJsonSchema({
        type: 'object',
        properties: { city: { type: 'string' }, note: { type: 'string' } },
        required: ['city'],
      }),
    ).toEqual({ city: 'city', note: 'note' });
  });

  it('gives arrays their minItems, unique items, and stays within maxItems', () => {
    expect(sampleJsonSchema({ type: 'array', items: { type: 'string' }, minItems: 3 })).toEqual([
      'text',
      'text 2',
      'text 3',
    ]);
    expect(sampleJsonSchema({ type: 'array', items: { type: 'integer' }, maxItems: 0 })).toEqual(
      [],
    );
    expect(sampleJsonSchema({ type: 'array', items: { type: 'integer' } })).toEqual([1]);
    expect(
      sampleJsonSchema({ type: 'array', prefixItems: [{ type: 'string' }, { type: 'boolean' }] }),
    ).toEqual(['text', false]);
  });

  it('follows local $refs and merges allOf', () => {
    expect(
      sampleJsonSchema({
        $defs: {
          point: { type: 'object', properties: { x: { type: 'number' } }, required: ['x'] },
        },
        allOf: [{ $ref: '#/$defs/point' }, { properties: { label: { const: 'p' } } }],
      }),
    ).toEqual({ x: 1, label: 'p' });
  });

  it('terminates on a recursive schema', () => {
    const value = sampleJsonSchema({
      $ref: '#/definitions/node',
      definitions: {
        node: {
          type: 'object',
          properties: { children: { type: 'array', items: { $ref: '#/definitions/node' } } },
        },
      },
    });
    expect(JSON.stringify(value).length).toBeLessThan(1_000);
  });

  it('never throws on input that is not a schema', () => {
    expect(sampleJsonSchema(undefined)).toEqual({});
    expect(sampleJsonSchema('nope')).toEqual({});
    expect(sampleJsonSchema({ type: 'object', required: ['a'] })).toEqual({ a: 'a' });
  });

  // What users write: zod schemas, through zod's own JSON Schema, checked back with zod.
  it.each([
    ['the README answer', z.object({ city: z.string(), population: z.number().int() })],
    [
      'a nested plan',
      z.object({
        name: z.string().min(3).max(40),
        workers: z.number().int().min(1).max(8),
        tasks: z
          .array(
            z.object({
              id: z
                .string()
                .regex(/^[a-z]+$/)
                .optional(),
              priority: z.number().int().nonnegative().default(0),
              kind: z.enum(['code', 'docs']),
              tags: z.array(z.string()).min(2).max(3),
              owner: z.email().nullable(),
            }),
          )
          .min(2),
        done: z.boolean(),
        meta: z.object({ version: z.literal(2), at: z.iso.datetime() }),
      }),
    ],
    [
      'unions and records',
      z.object({
        value: z.union([z.number().positive(), z.string()]),
        ratio: z.number().gt(0).lt(1),
        extra: z.record(z.string(), z.number()),
      }),
    ],
  ])('generates a value zod accepts for %s', (_name, schema) => {
    const value = sampleJsonSchema(jsonOf(schema));
    expect(schema.safeParse(value).error?.issues).toBeUndefined();
  });
});
