import type { QueryPrompt } from '../../machines/query/query-types.js';

/**
 * Appends earlier outputs to a prompt as tagged blocks, one per source:
 * `<context source="step-1">…</context>`. Only text prompts can take context; content-block
 * prompts get a text block added.
 */
export function withContext(
  prompt: QueryPrompt,
  sources: readonly { readonly id: string; readonly text: string }[],
): QueryPrompt {
  if (sources.length === 0) return prompt;
  const blocks = sources
    .map(({ id, text }) => `<context source="${id}">\n${text}\n</context>`)
    .join('\n');
  if (typeof prompt === 'string') return `${prompt}\n\n${blocks}`;
  return [...prompt, { type: 'text', text: blocks }] as QueryPrompt;
}
