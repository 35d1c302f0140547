import { filter, map, type OperatorFunction } from 'rxjs';
import type { CliMessage } from '../../../protocol/cli-message.js';

/** The text of each complete assistant message (its text blocks joined), skipping empty ones. */
export function assistantText(): OperatorFunction<CliMessage, string> {
  return (messages) =>
    messages.pipe(
      map((message) => {
        if (message.type !== 'assistant') return '';
        const content = (message.message as { content?: unknown }).content;
        if (!Array.isArray(content)) return '';
        return content
          .filter((block): block is { type: 'text'; text: string } => block?.type === 'text')
          .map((block) => block.text)
          .join('');
      }),
      filter((text) => text.length > 0),
    );
}
