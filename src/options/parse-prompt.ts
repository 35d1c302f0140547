import { InvalidOptionsError, type OptionIssue } from '../errors/invalid-options-error.js';
import type { ContentBlock } from '../protocol/content-block.js';
import { renderValue } from './format-zod-issues.js';

/** A prompt as the CLI takes it: text, or Messages API content blocks. */
export type Prompt = string | readonly ContentBlock[];

const EXPECTED = 'expected a non-empty string or a non-empty array of content blocks';
const BLANK = 'expected a prompt with text in it, not an empty or whitespace-only one';

/**
 * Checks a prompt where it enters the library, before any process is spawned: a string with
 * some non-whitespace text in it, or a non-empty array of content blocks (objects with a string
 * `type`; a `text` block's `text` a string), not all of them blank text.
 *
 * Every entry point (`runQuery`, `createQueryActor`, `runtime.query`, `session.send`, the
 * orchestration patterns, the task queue) calls this one function.
 *
 * @param prompt - What the caller passed.
 * @param field - How the error names it, e.g. `prompt` or `tasks[2].prompt`.
 * @returns The prompt, unchanged.
 * @throws {@link InvalidOptionsError} naming the field and the value received, e.g.
 *   ``Invalid argument `prompt`: expected a non-empty string or a non-empty array of content
 *   blocks, got `42` (number)``.
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
    return prompt.trim() === '' ? [issue(field, BLANK, prompt)] : [];
  }
  if (!Array.isArray(prompt)) {
    return [issue(field, prompt === undefined ? `is required (${EXPECTED})` : EXPECTED, prompt)];
  }
  if (prompt.length === 0) return [issue(field, 'expected at least one content block', prompt)];
  const issues: OptionIssue[] = [];
  let hasContent = false;
  prompt.forEach((block: unknown, i) => {
    const at = `${field}[${i}]`;
    const type = (block as { type?: unknown } | null)?.type;
    if (typeof block !== 'object' || block === null || Array.isArray(block)) {
      issues.push(issue(at, 'expected a content block (an object with a string `type`)', block));
    } else if (typeof type !== 'string' || type === '') {
      issues.push(issue(`${at}.type`, 'expected a content block type (a string)', type));
    } else if (type === 'text') {
      const text = (block as { text?: unknown }).text;
      if (typeof text !== 'string') issues.push(issue(`${at}.text`, 'expected a string', text));
      else if (text.trim() !== '') hasContent = true;
    } else {
      hasContent = true;
    }
  });
  if (issues.length === 0 && !hasContent) issues.push(issue(field, BLANK, prompt));
  return issues;
}
