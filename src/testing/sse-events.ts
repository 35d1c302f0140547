import type { AssistantMessage } from './assistant-message.js';

/** One server-sent event; `chunk` marks deltas, which are spaced by the chunk delay. */
export interface SseEvent {
  readonly event: string;
  readonly data: Record<string, unknown>;
  readonly chunk: boolean;
}

function ev(event: string, fields: Record<string, unknown>, chunk = false): SseEvent {
  return { event, data: { type: event, ...fields }, chunk };
}

/** Splits `text` into pieces of `size` characters (code points, so emoji stay whole). */
export function splitChunks(text: string, size: number): string[] {
  const chars = Array.from(text);
  const chunks: string[] = [];
  for (let i = 0; i < chars.length; i += size) chunks.push(chars.slice(i, i + size).join(''));
  return chunks;
}

/**
 * The opening of a streamed message: `message_start` with empty content.
 *
 * @internal
 */
export function messageStartEvent(message: AssistantMessage): SseEvent {
  return ev('message_start', {
    message: {
      ...message,
      content: [],
      stop_reason: null,
      usage: { ...message.usage, output_tokens: 1 },
    },
  });
}

/**
 * The events of a text block's start and its deltas (no stop), for streams that get cut.
 *
 * @internal
 */
export function textBlockEvents(index: number, text: string, chunkSize: number): SseEvent[] {
  return [
    ev('content_block_start', { index, content_block: { type: 'text', text: '' } }),
    ...splitChunks(text, chunkSize).map((piece) =>
      ev('content_block_delta', { index, delta: { type: 'text_delta', text: piece } }, true),
    ),
  ];
}

/**
 * The full SSE sequence the Messages API streams for `message`: `message_start`, per block
 * `content_block_start` / `content_block_delta`… / `content_block_stop`, then `message_delta`
 * (stop reason and output tokens) and `message_stop`.
 *
 * @internal
 */
export function messageEvents(message: AssistantMessage, chunkSize: number): SseEvent[] {
  const events = [messageStartEvent(message)];
  message.content.forEach((block, index) => {
    if (block.type === 'text') {
      events.push(...textBlockEvents(index, block.text, chunkSize));
    } else {
      events.push(
        ev('content_block_start', {
          index,
          content_block: { type: 'tool_use', id: block.id, name: block.name, input: {} },
        }),
        ...splitChunks(JSON.stringify(block.input), chunkSize).map((piece) =>
          ev(
            'content_block_delta',
            { index, delta: { type: 'input_json_delta', partial_json: piece } },
            true,
          ),
        ),
      );
    }
    events.push(ev('content_block_stop', { index }));
  });
  events.push(
    ev('message_delta', {
      delta: { stop_reason: message.stop_reason, stop_sequence: null },
      usage: { output_tokens: message.usage.output_tokens },
    }),
    ev('message_stop', {}),
  );
  return events;
}

/** Serialises one event in the `event: X\ndata: {...}\n\n` wire form. */
export function formatSseEvent(event: SseEvent): string {
  return `event: ${event.event}\ndata: ${JSON.stringify(event.data)}\n\n`;
}
