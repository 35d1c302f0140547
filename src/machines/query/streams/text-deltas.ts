import { filter, map, type OperatorFunction } from 'rxjs';
import type { CliMessage } from '../../../protocol/cli-message.js';

/**
 * The text as it streams: each `text_delta` of `stream_event` messages. Needs the
 * `includePartialMessages` option; without it nothing passes (use {@link assistantText}).
 */
export function textDeltas(): OperatorFunction<CliMessage, string> {
  return (messages) =>
    messages.pipe(
      map((message) => {
        if (message.type !== 'stream_event') return undefined;
        const event = message.event as { type?: string; delta?: { type?: string; text?: unknown } };
        return event.type === 'content_block_delta' &&
          event.delta?.type === 'text_delta' &&
          typeof event.delta.text === 'string'
          ? event.delta.text
          : undefined;
      }),
      filter((text): text is string => text !== undefined),
    );
}
