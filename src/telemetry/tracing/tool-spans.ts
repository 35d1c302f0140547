import { type Context, type Span, SpanStatusCode, type Tracer, trace } from '@opentelemetry/api';
import type { CliMessage } from '../../protocol/cli-message.js';
import { isContentBlockOf } from '../../protocol/content-block.js';
import { GenAiAttributes as A } from './gen-ai-attributes.js';

/**
 * @internal The `execute_tool` spans of one attempt, made from its messages: a span starts at
 * each `tool_use` block of an assistant message and ends at the `tool_result` that answers it
 * (an error result sets `error.type`). A subagent's calls nest under the call that started the
 * subagent (their `parent_tool_use_id`). Calls still open when the attempt ends are ended then.
 */
export class ToolSpans {
  readonly #open = new Map<string, Span>();

  constructor(
    readonly tracer: Tracer,
    readonly parent: Context,
  ) {}

  /** Follows one message of the attempt. */
  message(message: CliMessage): void {
    if (message.type !== 'assistant' && message.type !== 'user') return;
    const { content } = message.message;
    if (typeof content === 'string') return;
    for (const block of content) {
      if (message.type === 'assistant' && isContentBlockOf(block, 'tool_use')) {
        this.#start(block.id, block.name, message.parent_tool_use_id ?? null);
      } else if (message.type === 'user' && isContentBlockOf(block, 'tool_result')) {
        this.#end(block.tool_use_id, block.is_error === true ? 'tool_error' : undefined);
      }
    }
  }

  /** Ends every call still open (the attempt ended first): `error.type` says so. */
  endAll(reason: string): void {
    for (const id of [...this.#open.keys()]) this.#end(id, reason);
  }

  #start(id: string, name: string, parentToolUseId: string | null): void {
    if (this.#open.has(id)) return;
    const parentSpan = parentToolUseId === null ? undefined : this.#open.get(parentToolUseId);
    const parent = parentSpan ? trace.setSpan(this.parent, parentSpan) : this.parent;
    const span = this.tracer.startSpan(
      `execute_tool ${name}`,
      {
        attributes: {
          [A.operationName]: 'execute_tool',
          [A.toolName]: name,
          [A.toolCallId]: id,
          [A.toolType]: 'function',
        },
      },
      parent,
    );
    this.#open.set(id, span);
  }

  #end(id: string, errorType: string | undefined): void {
    const span = this.#open.get(id);
    if (!span) return;
    this.#open.delete(id);
    if (errorType !== undefined) {
      span.setAttribute(A.errorType, errorType);
      span.setStatus({ code: SpanStatusCode.ERROR });
    }
    span.end();
  }
}
