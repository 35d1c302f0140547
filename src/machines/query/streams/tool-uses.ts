import { mergeMap, type OperatorFunction } from 'rxjs';
import type { CliMessage } from '../../../protocol/cli-message.js';

/** A tool call Claude made. */
export interface ToolUse {
  readonly id: string;
  readonly name: string;
  readonly input: unknown;
  /** Set when a subagent made the call. */
  readonly parentToolUseId: string | null;
}

/** Every `tool_use` block of the assistant messages, in order. */
export function toolUses(): OperatorFunction<CliMessage, ToolUse> {
  return (messages) =>
    messages.pipe(
      mergeMap((message) => {
        if (message.type !== 'assistant') return [];
        const content = (message.message as { content?: unknown }).content;
        if (!Array.isArray(content)) return [];
        return content
          .filter((block) => block?.type === 'tool_use')
          .map((block) => ({
            id: String(block.id),
            name: String(block.name),
            input: block.input,
            parentToolUseId:
              typeof message.parent_tool_use_id === 'string' ? message.parent_tool_use_id : null,
          }));
      }),
    );
}
