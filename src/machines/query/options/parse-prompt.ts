import type { ZodType } from 'zod';
import {
  InvalidOptionsError,
  type OptionIssue,
} from '../../../core/validation/invalid-options-error.js';
import { issuesOf } from '../../../core/validation/issues-of.js';
import { renderValue } from '../../../core/validation/render-value.js';
import { safeValidate } from '../../../core/validation/validate.js';
import {
  type ContentBlock,
  DocumentBlockSchema,
  ImageBlockSchema,
  TextBlockSchema,
  ToolResultBlockSchema,
} from '../../../protocol/content-block.js';

/** A prompt as the CLI takes it: text, or Messages API content blocks. */
export type Prompt = string | readonly ContentBlock[];

const EXPECTED = 'expected a non-empty string or a non-empty array of content blocks';
const BLANK = 'expected a prompt with text in it, not an empty or whitespace-only one';

/**
 * The content blocks a user message can hold in the CLI's stream-json input, each with the
 * fields the Messages API requires of it. Others (`tool_use`, `thinking`: the model's) are
 * refused before a process is spawned, instead of failing inside the CLI.
 */
const PROMPT_BLOCKS: Readonly<Record<string, ZodType>> = {
  text: TextBlockSchema,
  image: ImageBlockSchema,
  document: DocumentBlockSchema,
  tool_result: ToolResultBlockSchema.extend({
    tool_use_id: ToolResultBlockSchema.shape.tool_use_id.min(1),
  }),
};

const BLOCK_TYPES = Object.keys(PROMPT_BLOCKS).map((type) => `"${type}"`);

/**
 * Characters that show nothing: whitespace, control and format characters (`\p{Cf}`: zero-width
 * space U+200B, joiners, the BOM, bidi marks), Hangul fillers and the blank braille pattern.
 */
const INVISIBLE = /[\s\p{Cc}\p{Cf}\u115F\u1160\u3164\uFFA0\u2800]/u;
const ALL_INVISIBLE = new RegExp(`^${INVISIBLE.source}*$`, 'u');

/** Whether `text` shows nothing at all (see {@link INVISIBLE}). */
function isBlank(text: string): boolean {
  return ALL_INVISIBLE.test(text);
}

/** `BLANK`, naming the invisible characters when there is more than whitespace to see. */
function blankMessage(texts: readonly string[]): string {
  const hidden = new Set<string>();
  for (const text of texts) {
    for (const char of text) {
      if (char.trim() !== '') {
        hidden.add(`U+${char.codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0')}`);
      }
    }
  }
  if (hidden.size === 0) return BLANK;
  const names = [...hidden].slice(0, 5).join(', ');
  return `${BLANK} (it holds only invisible characters: ${names}${hidden.size > 5 ? ', ...' : ''})`;
}

/**
 * Checks a prompt where it enters the library, before any process is spawned: a string with
 * some visible text in it, or a non-empty array of the content blocks a user message can hold
 * (`text` with a string `text`, `image` and `document` with a `source`, `tool_result` with a
 * `tool_use_id`), not all of them blank text. Whitespace and invisible characters (zero-width
 * spaces and other format characters) are blank.
 *
 * Every entry point (`runQuery`, `createQueryActor`, `runtime.query`, `session.send`, the
 * orchestration patterns, the task queue) calls this one function.
 *
 * @param prompt - What the caller passed.
 * @param field - How the error names it, e.g. `prompt` or `tasks[2].prompt`.
 * @returns The prompt, unchanged.
 * @throws {@link InvalidOptionsError} naming the field and the value received, e.g.
 *   ``Invalid argument `prompt`: expected a non-empty string or a non-empty array of content
 *   blocks, got `42` (number)``, or ``Invalid argument `prompt[0].source`: is required``.
 * @example
 * ```ts
 * parsePrompt('Summarise README.md'); // 'Summarise README.md'
 * parsePrompt('   ', 'steps[1].prompt'); // throws InvalidOptionsError
 * ```
 */
export function parsePrompt(prompt: unknown, field = 'prompt'): Prompt {
  const issues = promptIssues(prompt, field);
  if (issues.length > 0) throw new InvalidOptionsError(issues, 'argument');
  return prompt as Prompt;
}

/** The problems of a prompt, one per field; none when it is valid. */
export function promptIssues(prompt: unknown, field = 'prompt'): OptionIssue[] {
  const issue = (path: string, message: string, value: unknown): OptionIssue => ({
    path,
    message,
    received: renderValue(value),
  });
  if (typeof prompt === 'string') {
    return isBlank(prompt) ? [issue(field, blankMessage([prompt]), prompt)] : [];
  }
  if (!Array.isArray(prompt)) {
    return [issue(field, prompt === undefined ? `is required (${EXPECTED})` : EXPECTED, prompt)];
  }
  if (prompt.length === 0) return [issue(field, 'expected at least one content block', prompt)];
  const issues: OptionIssue[] = [];
  const blankTexts: string[] = [];
  let hasContent = false;
  prompt.forEach((block: unknown, i) => {
    const at = `${field}[${i}]`;
    const type = (block as { type?: unknown } | null)?.type;
    if (typeof block !== 'object' || block === null || Array.isArray(block)) {
      issues.push(issue(at, 'expected a content block (an object with a string `type`)', block));
      return;
    }
    if (typeof type !== 'string' || type === '') {
      issues.push(issue(`${at}.type`, 'expected a content block type (a string)', type));
      return;
    }
    const schema = Object.hasOwn(PROMPT_BLOCKS, type) ? PROMPT_BLOCKS[type] : undefined;
    if (!schema) {
      issues.push(
        issue(
          `${at}.type`,
          `expected a content block a user message can hold: ${BLOCK_TYPES.join(', ')}`,
          type,
        ),
      );
      return;
    }
    const parsed = safeValidate(schema, block);
    if (!parsed.success) {
      for (const found of issuesOf(parsed.error, block)) {
        const sub = found.path.startsWith('[') || found.path === '' ? found.path : `.${found.path}`;
        issues.push({ ...found, path: at + sub });
      }
      return;
    }
    const text = (block as { text?: unknown }).text;
    if (type === 'text' && typeof text === 'string' && isBlank(text)) blankTexts.push(text);
    else hasContent = true;
  });
  if (issues.length === 0 && !hasContent) {
    issues.push(issue(field, blankMessage(blankTexts), prompt));
  }
  return issues;
}
