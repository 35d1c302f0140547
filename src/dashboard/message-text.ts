import type { CliMessage } from '../protocol/cli-message.js';
import { isContentBlockOf } from '../protocol/content-block.js';

/**
 * The text a CLI message adds to a query's live text: each `text_delta` of a stream event (with
 * `includePartialMessages`), else the text of each whole assistant message; a tool call shows
 * as `[tool: Name]` on a line of its own. `streamed` says whether this attempt has streamed
 * deltas already (its assistant messages then repeat them and add nothing).
 *
 * @internal
 */
export function messageText(
  message: CliMessage,
  streamed: boolean,
): { readonly text: string; readonly streamed: boolean } {
  if (message.type === 'stream_event') {
    const event = message.event as { type?: string; delta?: { type?: string; text?: unknown } };
    if (
      event.type === 'content_block_delta' &&
      event.delta?.type === 'text_delta' &&
      typeof event.delta.text === 'string'
    ) {
      return { text: event.delta.text, streamed: true };
    }
    return { text: '', streamed };
  }
  if (message.type !== 'assistant') return { text: '', streamed };
  const { content } = message.message;
  if (typeof content === 'string') return { text: streamed ? '' : content, streamed };
  const parts: string[] = [];
  for (const block of content) {
    if (isContentBlockOf(block, 'text') && !streamed) parts.push(block.text);
    else if (isContentBlockOf(block, 'tool_use')) parts.push(`\n[tool: ${block.name}]\n`);
  }
  return { text: parts.join(''), streamed };
}
