import { describe, expect, it } from 'vitest';
import { registerSecrets } from '../../../../src/core/redaction/secret-registry.js';
import { InvalidOptionsError } from '../../../../src/core/validation/invalid-options-error.js';
import { parsePrompt } from '../../../../src/machines/query/options/parse-prompt.js';
import { runQuery } from '../../../../src/machines/query/run-query.js';
import { createRuntime } from '../../../../src/runtime/create-runtime.js';
import { scriptedSpawn } from '../../../helpers/scripted-spawn.js';

const png = { type: 'base64', media_type: 'image/png', data: 'iVBORw0KGgo=' };

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
      { type: 'image', source: png },
    ];
    expect(parsePrompt(blocks)).toBe(blocks);
    expect(parsePrompt([{ type: 'image', source: png }])).toHaveLength(1);
  });

  it.each<[string, unknown[]]>([
    ['an image', [{ type: 'image', source: png }]],
    ['an image by URL', [{ type: 'image', source: { type: 'url', url: 'https://x/a.png' } }]],
    [
      'a PDF document',
      [{ type: 'document', source: { type: 'base64', media_type: 'application/pdf', data: 'JV' } }],
    ],
    ['a text document', [{ type: 'document', source: { type: 'text', data: 'notes' } }]],
    ['a tool result', [{ type: 'tool_result', tool_use_id: 'toolu_1', content: 'ok' }]],
    ['text with a zero-width space beside visible text', [{ type: 'text', text: 'hi\u200b' }]],
    [
      'blank text beside an image',
      [
        { type: 'text', text: ' ' },
        { type: 'image', source: png },
      ],
    ],
  ])('accepts %s', (_name, prompt) => {
    expect(parsePrompt(prompt)).toBe(prompt);
  });

  it.each<[string, unknown, string, string]>([
    ['an unknown block type', [{ type: 'bogus' }], 'prompt[0].type', 'got `"bogus"` (string)'],
    [
      "the model's tool_use block",
      [{ type: 'text', text: 'hi' }, { type: 'tool_use' }],
      'prompt[1].type',
      'a user message can hold: "text", "image", "document", "tool_result", got `"tool_use"`',
    ],
    ['an image without a source', [{ type: 'image' }], 'prompt[0].source', 'is required'],
    [
      'an image whose source is not an object',
      [{ type: 'image', source: 'a.png' }],
      'prompt[0].source',
      'expected an object, got `"a.png"` (string)',
    ],
    [
      'an image source without a type',
      [{ type: 'image', source: {} }],
      'prompt[0].source.type',
      'is required',
    ],
    ['a document without a source', [{ type: 'document' }], 'prompt[0].source', 'is required'],
    [
      'a tool_result without a tool_use_id',
      [{ type: 'tool_result', content: 'ok' }],
      'prompt[0].tool_use_id',
      'is required',
    ],
    [
      'a tool_result with an empty tool_use_id',
      [{ type: 'tool_result', tool_use_id: '' }],
      'prompt[0].tool_use_id',
      'expected a non-empty string',
    ],
    ['a zero-width space', '\u200b', 'prompt', 'only invisible characters: U+200B), got'],
    [
      'format characters and whitespace',
      ' \u200d\ufeff\u2060 \n',
      'prompt',
      'only invisible characters: U+200D, U+2060)',
    ],
    [
      'text blocks of zero-width spaces only',
      [
        { type: 'text', text: '\u200b\u200b' },
        { type: 'text', text: '\u200e' },
      ],
      'prompt',
      'only invisible characters: U+200B, U+200E)',
    ],
  ])('rejects %s, naming its path', (_name, prompt, path, message) => {
    const error = failure(prompt);
    expect(error.issues[0]?.path).toBe(path);
    expect(error.message).toContain(`Invalid argument \`${path}\`: `);
    expect(error.message).toContain(message);
  });

  it('reports every bad block at once', () => {
    const error = failure([{ type: 'image' }, { type: 'bogus' }, { type: 'tool_result' }]);
    expect(error.issues.map((issue) => issue.path)).toEqual([
      'prompt[0].source',
      'prompt[1].type',
      'prompt[2].tool_use_id',
    ]);
  });

  it('never shows a registered secret in a prompt it refuses', () => {
    registerSecrets(['canary-prompt-123456']);
    const error = failure({ text: 'canary-prompt-123456' });
    expect(error.message).toContain('[redacted]');
    expect(error.message).not.toContain('canary-prompt-123456');
  });

  it('makes runQuery and runtime.query throw before anything is spawned', async () => {
    const { spawn, state } = scriptedSpawn(() => ({}));
    const executable = process.execPath;
    const runtime = createRuntime({ defaults: { executable }, processes: { spawn } });
    const bad: unknown[] = [
      [{ type: 'bogus' }],
      [{ type: 'image' }],
      [{ type: 'tool_use' }],
      '\u200b',
      [{ type: 'text', text: '\u200b\u200b' }],
    ];
    for (const prompt of bad) {
      expect(() => runQuery(prompt as never, { executable }, { spawn })).toThrow(
        InvalidOptionsError,
      );
      expect(() => runtime.query(prompt as never)).toThrow(InvalidOptionsError);
    }
    await runtime.stop({ deadlineMs: 0 });
    expect(state.calls).toHaveLength(0);
  });
});
