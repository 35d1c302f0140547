import { describe, expect, it } from 'vitest';
import { InvalidOptionsError } from '../../src/errors/invalid-options-error.js';
import { registerSecrets } from '../../src/logging/secret-registry.js';
import { parsePrompt } from '../../src/options/index.js';

function failure(prompt: unknown, field?: string): InvalidOptionsError {
  try {
    parsePrompt(prompt, field);
  } catch (error) {
    if (error instanceof InvalidOptionsError) return error;
    throw error;
  }
  throw new Error(`expected ${String(prompt)} to be rejected`);
}

describe('parsePrompt', () => {
  it.each([
    [
      'a number',
      42,
      'expected a non-empty string or a non-empty array of content blocks, got `42` (number)',
    ],
    [
      'null',
      null,
      'expected a non-empty string or a non-empty array of content blocks, got `null` (null)',
    ],
    [
      'undefined',
      undefined,
      'is required (expected a non-empty string or a non-empty array of content blocks), got nothing',
    ],
    ['an object', { text: 'hi' }, 'got `{"text":"hi"}` (object)'],
    ['a boolean', true, 'got `true` (boolean)'],
    [
      'an empty string',
      '',
      'expected a prompt with text in it, not an empty or whitespace-only one, got `""` (string)',
    ],
    ['a whitespace-only string', ' \n\t ', 'whitespace-only one, got `" \\n\\t "` (string)'],
    ['an empty array', [], 'expected at least one content block, got `[]` (array)'],
    ['only blank text blocks', [{ type: 'text', text: '  ' }], 'whitespace-only one'],
  ])('rejects %s, naming the field and the value', (_name, prompt, message) => {
    const error = failure(prompt);
    expect(error.code).toBe('INVALID_OPTIONS');
    expect(error.retryable).toBe(false);
    expect(error.message).toContain('Invalid argument `prompt`: ');
    expect(error.message).toContain(message);
  });

  it.each([
    ['a block that is not an object', ['hi'], 'prompt[0]', 'expected a content block'],
    ['a block without a type', [{ text: 'hi' }], 'prompt[0].type', 'got nothing'],
    ['a text block without text', [{ type: 'text', text: 7 }], 'prompt[0].text', 'got `7`'],
  ])('rejects an array with %s at its path', (_name, prompt, path, message) => {
    const error = failure(prompt);
    expect(error.issues[0]?.path).toBe(path);
    expect(error.message).toContain(`\`${path}\``);
    expect(error.message).toContain(message);
  });

  it('names the field it is given', () => {
    expect(failure(7, 'tasks[2].prompt').message).toMatch(/^Invalid argument `tasks\[2\]\.prompt`/);
  });

  it('accepts text and content blocks as they are', () => {
    expect(parsePrompt('  hi  ')).toBe('  hi  ');
    const blocks = [
      { type: 'text', text: 'look' },
      { type: 'image', source: {} },
    ];
    expect(parsePrompt(blocks)).toBe(blocks);
    expect(parsePrompt([{ type: 'image', source: {} }])).toHaveLength(1);
  });

  it('never shows a registered secret in a prompt it refuses', () => {
    registerSecrets(['canary-prompt-123456']);
    const error = failure({ text: 'canary-prompt-123456' });
    expect(error.message).toContain('[redacted]');
    expect(error.message).not.toContain('canary-prompt-123456');
  });
});
