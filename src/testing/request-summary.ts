import type { IncomingHttpHeaders } from 'node:http';
import { z } from 'zod';
import type { SimRequest, SimToolResult } from './sim-request.js';

/** Headers never recorded in clear. */
const SECRET_HEADERS = new Set(['x-api-key', 'authorization', 'proxy-authorization']);

const REMINDER = /<system-reminder>[\s\S]*?(<\/system-reminder>|$)/g;

/** The parts of a Messages API body the simulator relies on; everything else passes through. */
export const MessagesBodySchema = z.looseObject({
  model: z.string(),
  stream: z.boolean().optional(),
  messages: z.array(
    z.looseObject({
      role: z.string(),
      content: z.union([z.string(), z.array(z.looseObject({ type: z.string() }))]),
    }),
  ),
});

/** A request body that passed {@link MessagesBodySchema}. */
export type MessagesBody = z.infer<typeof MessagesBodySchema>;

type Block = { type: string; [key: string]: unknown };

function blocksOf(content: string | Block[]): Block[] {
  return typeof content === 'string' ? [{ type: 'text', text: content }] : content;
}

/** The user-authored text of a text block: `<system-reminder>` sections removed, trimmed. */
function authoredText(block: Block): string {
  if (block.type !== 'text' || typeof block.text !== 'string') return '';
  return block.text.replace(REMINDER, '').trim();
}

function toolResultText(content: unknown): string {
  if (typeof content === 'string') return content;
  if (!Array.isArray(content)) return '';
  return content
    .map((part: unknown) =>
      typeof part === 'object' && part !== null && 'text' in part && typeof part.text === 'string'
        ? part.text
        : '',
    )
    .filter((text) => text !== '')
    .join('\n');
}

/**
 * Redacts secrets and flattens multi-valued headers.
 *
 * @internal
 */
export function redactHeaders(headers: IncomingHttpHeaders): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) {
    if (value === undefined) continue;
    out[name] = SECRET_HEADERS.has(name)
      ? '[redacted]'
      : Array.isArray(value)
        ? value.join(', ')
        : value;
  }
  return out;
}

/**
 * Summarises a validated Messages API request into a {@link SimRequest}.
 *
 * Only `role: "user"` messages are considered: the CLI also sends a `role: "system"` message in
 * `messages` (its environment description), which must not be mistaken for the prompt.
 *
 * @internal
 */
export function summarizeRequest(input: {
  method: string;
  path: string;
  headers: IncomingHttpHeaders;
  body: MessagesBody;
  at: number;
}): SimRequest {
  const userMessages = input.body.messages.filter((message) => message.role === 'user');
  const lastBlocks = blocksOf(userMessages.at(-1)?.content ?? []);
  const toolResults: SimToolResult[] = lastBlocks
    .filter((block) => block.type === 'tool_result')
    .map((block) => ({
      toolUseId: typeof block.tool_use_id === 'string' ? block.tool_use_id : '',
      content: toolResultText(block.content),
      isError: block.is_error === true,
    }));
  let prompt = '';
  // Newest first: a tool-result-only message falls back to the turn's prompt.
  for (const message of [...userMessages].reverse()) {
    const texts = blocksOf(message.content)
      .map(authoredText)
      .filter((text) => text !== '');
    const last = texts.at(-1);
    if (last !== undefined) {
      prompt = last;
      break;
    }
  }
  return {
    method: input.method,
    path: input.path,
    model: input.body.model,
    stream: input.body.stream === true,
    prompt,
    hasToolResult: toolResults.length > 0,
    toolResults,
    body: input.body,
    headers: redactHeaders(input.headers),
    at: input.at,
  };
}
