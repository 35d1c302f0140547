import { filter, map, type OperatorFunction } from 'rxjs';
import type { CliMessage } from '../../../protocol/cli-message.js';
import { isContentBlockOf } from '../../../protocol/content-block.js';

/** The text of each complete assistant message (its text blocks joined), skipping empty ones. */
export function assistantText(): OperatorFunction<CliMessage, string> {
  return (messages) =>
    messages.pipe(
      map((message) => {
        if (message.type !== 'assistant') return '';
        const { content } = message.message;
        if (typeof content === 'string') return '';
        return content
          .flatMap((block) => (isContentBlockOf(block, 'text') ? [block.text] : []))
          .join('');
      }),
      filter((text) => text.length > 0),
    );
}
