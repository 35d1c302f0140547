import { mergeMap, type OperatorFunction } from 'rxjs';
import type { CliMessage } from '../../../protocol/cli-message.js';
import { isContentBlockOf } from '../../../protocol/content-block.js';

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
        const { content } = message.message;
        if (typeof content === 'string') return [];
        return content.flatMap((block) =>
          isContentBlockOf(block, 'tool_use')
            ? [
                {
                  id: block.id,
                  name: block.name,
                  input: block.input,
                  parentToolUseId: message.parent_tool_use_id ?? null,
                },
              ]
            : [],
        );
      }),
    );
}
