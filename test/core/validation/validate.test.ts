import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { InvalidOptionsError } from '../../../src/core/validation/invalid-options-error.js';
import { issuesOf } from '../../../src/core/validation/issues-of.js';
import { safeValidate, validate } from '../../../src/core/validation/validate.js';

function caught(run: () => unknown): InvalidOptionsError {
  try {
    run();
  } catch (error) {
    if (error instanceof InvalidOptionsError) return error;
    throw error;
  }
  throw new Error('expected an InvalidOptionsError');
}

describe('validate', () => {
  const schema = z.strictObject({
    port: z.number().int().default(80),
    token: z.string().optional(),
    retry: z.strictObject({ maxAttempts: z.number().optional() }).optional(),
  });

  it('returns the parsed data, defaults filled in', () => {
    expect(validate(schema, {})).toEqual({ port: 80 });
  });

  it('names what was validated, the path and the value', () => {
    const error = caught(() => validate(schema, { port: 'x' }, { what: 'pool option' }));
    expect(error.message).toBe('Invalid pool option `port`: expected a number, got `"x"` (string)');
    expect(error.code).toBe('INVALID_OPTIONS');
  });

  it('lists every problem, reading values from the input and redacting secret keys', () => {
    const error = caught(() => validate(schema, { port: 'x', token: 42, extra: 1 }));
    expect(error.issues).toEqual([
      { path: 'port', message: 'expected a number', received: '`"x"` (string)' },
      { path: 'token', message: 'expected a string', received: '[redacted]' },
      { path: 'extra', message: 'unknown key', received: '`1` (number)' },
    ]);
  });

  it('takes its own idea of secrets', () => {
    const error = caught(() => validate(schema, { token: 42 }, { secrets: () => false }));
    expect(error.issues[0]?.received).toBe('`42` (number)');
    const all = caught(() => validate(schema, { port: 'x' }, { secrets: () => true }));
    expect(all.issues[0]?.received).toBe('[redacted]');
  });

  it('suggests a known key for a misspelt one, from the schema itself', () => {
    const error = caught(() => validate(schema, { prot: 1, retry: { maxAttempt: 2 } }));
    expect(error.issues.map((issue) => [issue.path, issue.message])).toEqual([
      ['retry.maxAttempt', 'unknown key (did you mean `maxAttempts`?)'],
      ['prot', 'unknown key (did you mean `port`?)'],
    ]);
  });

  it('takes known keys and hints from the caller', () => {
    const error = caught(() =>
      validate(
        schema,
        { prot: 1, systemPrompt: 'x' },
        {
          knownKeys: () => ['protocol'],
          hint: (_path, key) => (key === 'systemPrompt' ? 'use `system` here' : undefined),
        },
      ),
    );
    expect(error.issues.map((issue) => issue.message)).toEqual([
      'unknown key (did you mean `protocol`?)',
      'use `system` here',
    ]);
  });

  it('explains a union failure by the form that got furthest into the value', () => {
    const reply = z.union([
      z.strictObject({ kind: z.literal('text'), text: z.string() }),
      z.strictObject({ kind: z.literal('error'), status: z.number() }),
    ]);
    const error = caught(() => validate(z.strictObject({ reply }), { reply: { kind: 'text' } }));
    expect(error.issues).toEqual([
      { path: 'reply.text', message: 'is required', received: 'nothing' },
    ]);
  });

  it('keeps a message written for a union when no form got further than another', () => {
    const match = z.union([z.strictObject({ a: z.string() }), z.strictObject({ b: z.string() })], {
      error: 'expected {"a": "..."} or {"b": "..."}',
    });
    const error = caught(() => validate(z.strictObject({ match }), { match: { c: 'x' } }));
    expect(error.issues[0]).toEqual({
      path: 'match',
      message: 'expected {"a": "..."} or {"b": "..."}',
      received: '`{"c":"x"}` (object)',
    });
  });

  it('keeps no input on the issues, so a logged zod error shows no secret', () => {
    const parsed = safeValidate(z.strictObject({ apiKey: z.number() }), { apiKey: 'sk-ant-x' });
    expect(JSON.stringify(parsed.error?.issues)).not.toContain('sk-ant-x');
  });

  it('leaves zod global configuration alone', () => {
    expect(z.string().safeParse(1).error?.issues[0]?.message).toMatch(/^Invalid input/);
    expect(safeValidate(z.string(), 1).error?.issues[0]?.message).toBe('expected a string');
  });
});

describe('issuesOf', () => {
  it('expands each unknown key into its own issue', () => {
    const input = { a: 1, b: 2 };
    const parsed = safeValidate(z.strictObject({}), input);
    if (parsed.success) throw new Error('expected a failure');
    expect(issuesOf(parsed.error, input).map((issue) => issue.path)).toEqual(['a', 'b']);
  });
});
