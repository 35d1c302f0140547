import { randomBytes } from 'node:crypto';
import type { SimTextReply, SimToolUseReply } from './sim-reply.js';

/** A content block of a simulated assistant message. */
export type AssistantBlock =
  | { type: 'text'; text: string }
  | { type: 'tool_use'; id: string; name: string; input: Record<string, unknown> };

/** A complete Messages API assistant message, as a non-stream request receives it. */
export interface AssistantMessage {
  id: string;
  type: 'message';
  role: 'assistant';
  model: string;
  content: AssistantBlock[];
  stop_reason: 'end_turn' | 'tool_use';
  stop_sequence: null;
  usage: {
    input_tokens: number;
    output_tokens: number;
    cache_creation_input_tokens: number;
    cache_read_input_tokens: number;
  };
}

/** A rough token count (4 characters a token), at least 1, so costs and usage are non-zero. */
export function estimateTokens(text: string): number {
  return Math.max(1, Math.ceil(text.length / 4));
}

/** A fresh id with the Anthropic prefix, e.g. `msg_sim_…` or `toolu_sim_…`. */
export function simId(prefix: 'msg' | 'toolu'): string {
  return `${prefix}_sim_${randomBytes(8).toString('hex')}`;
}

/**
 * Builds the assistant message a `text` or `tool_use` reply stands for.
 *
 * @internal
 */
export function buildAssistantMessage(
  reply: SimTextReply | SimToolUseReply,
  context: { model: string; prompt: string },
): AssistantMessage {
  const content: AssistantBlock[] = [];
  if (reply.kind === 'text') {
    content.push({ type: 'text', text: reply.text });
  } else {
    if (reply.text !== undefined && reply.text !== '') {
      content.push({ type: 'text', text: reply.text });
    }
    content.push({
      type: 'tool_use',
      id: reply.id ?? simId('toolu'),
      name: reply.name,
      input: reply.input,
    });
  }
  const produced = content
    .map((block) => (block.type === 'text' ? block.text : JSON.stringify(block.input)))
    .join('');
  return {
    id: simId('msg'),
    type: 'message',
    role: 'assistant',
    model: context.model,
    content,
    stop_reason: reply.kind === 'text' ? 'end_turn' : 'tool_use',
    stop_sequence: null,
    usage: {
      input_tokens: reply.usage?.inputTokens ?? estimateTokens(context.prompt),
      output_tokens: reply.usage?.outputTokens ?? estimateTokens(produced),
      cache_creation_input_tokens: 0,
      cache_read_input_tokens: 0,
    },
  };
}
