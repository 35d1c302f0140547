import { type Span, SpanStatusCode } from '@opentelemetry/api';
import type { ClaudeActorsError } from '../../core/errors/claude-actors-error.js';
import { costOf, usageOf } from '../../machines/query/history/attempt-record.js';
import type { CliMessage } from '../../protocol/cli-message.js';
import { GenAiAttributes as A } from './gen-ai-attributes.js';

/**
 * @internal Sets what an `invoke_agent` span learns from a CLI message: the session and model
 * of an `init`, the token usage and cost of a `result`. Other messages set nothing.
 */
export function recordAgentMessage(span: Span, message: CliMessage): void {
  if (message.type === 'system' && message.subtype === 'init') {
    const init = message as { session_id?: unknown; model?: unknown };
    if (typeof init.session_id === 'string') span.setAttribute(A.conversationId, init.session_id);
    if (typeof init.model === 'string') span.setAttribute(A.responseModel, init.model);
  } else if (message.type === 'result') {
    const usage = usageOf(message);
    if (typeof message.session_id === 'string') {
      span.setAttribute(A.conversationId, message.session_id);
    }
    span.setAttributes({
      [A.inputTokens]: usage.inputTokens,
      [A.outputTokens]: usage.outputTokens,
      [A.cacheReadInputTokens]: usage.cacheReadInputTokens,
      [A.cacheCreationInputTokens]: usage.cacheCreationInputTokens,
      [A.costUsd]: costOf(message),
    });
  }
}

/** @internal Marks a span failed, with the error's stable code as `error.type`. */
export function recordAgentError(span: Span, error: ClaudeActorsError | string): void {
  const type = typeof error === 'string' ? error : error.code;
  span.setAttribute(A.errorType, type);
  span.setStatus({
    code: SpanStatusCode.ERROR,
    ...(typeof error === 'string' ? {} : { message: error.message }),
  });
}
