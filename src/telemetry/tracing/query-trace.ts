import {
  type Attributes,
  type Context,
  type Span,
  SpanKind,
  type Tracer,
  trace,
} from '@opentelemetry/api';
import type { QueryEvent, QueryResult } from '../../machines/query/query-types.js';
import type { CliMessage } from '../../protocol/cli-message.js';
import { recordAgentError, recordAgentMessage } from './agent-span-attributes.js';
import { GenAiAttributes as A, PROVIDER_NAME } from './gen-ai-attributes.js';
import { ToolSpans } from './tool-spans.js';
import { traceEnv } from './trace-env.js';

/** What a {@link QueryTrace} knows of its query from the start. */
export interface QueryTraceInfo {
  readonly queryId: string;
  /** The `model` option, if any (`gen_ai.request.model`). */
  readonly model?: string | undefined;
  readonly tags: readonly string[];
  /** The session the query resumes, if any (the first `gen_ai.conversation.id`). */
  readonly sessionId?: string | undefined;
}

interface OpenAttempt {
  readonly span: Span;
  readonly tools: ToolSpans;
  readonly number: number;
}

/**
 * @internal The spans of one query: an `invoke_agent` span per attempt (a sibling of the
 * others, under the caller's context), with the GenAI attributes of what the attempt's CLI
 * reported (model, session, tokens, cost) and how it ended; `execute_tool` spans under it.
 * The attempt's span context is what its CLI gets as `TRACEPARENT`.
 */
export class QueryTrace {
  #attempt: OpenAttempt | undefined;
  /** The error code of the failure that caused the next attempt (its retry reason). */
  #retryReason: string | undefined;

  constructor(
    readonly tracer: Tracer,
    readonly parent: Context,
    readonly info: QueryTraceInfo,
  ) {}

  /**
   * Starts attempt `number`'s span (ending one left open) and returns the environment its CLI
   * must get (`TRACEPARENT`/`TRACESTATE`), or `undefined` when no SDK records spans.
   */
  startAttempt(number: number): Record<string, string> | undefined {
    if (this.#attempt) this.endAttempt();
    const attributes: Attributes = {
      [A.operationName]: 'invoke_agent',
      [A.providerName]: PROVIDER_NAME,
      [A.queryId]: this.info.queryId,
      [A.attempt]: number,
    };
    if (this.info.model !== undefined) attributes[A.requestModel] = this.info.model;
    if (this.info.sessionId !== undefined) attributes[A.conversationId] = this.info.sessionId;
    if (this.info.tags.length > 0) attributes[A.tags] = [...this.info.tags];
    if (this.#retryReason !== undefined) attributes[A.retryReason] = this.#retryReason;
    const span = this.tracer.startSpan(
      'invoke_agent',
      { kind: SpanKind.CLIENT, attributes },
      this.parent,
    );
    this.#attempt = {
      span,
      number,
      tools: new ToolSpans(this.tracer, trace.setSpan(this.parent, span)),
    };
    return traceEnv(span.spanContext());
  }

  /** Follows an event of the query's current instance. */
  event(event: QueryEvent): void {
    const attempt = this.#attempt;
    if (!attempt) return;
    if (event.type === 'query.message') this.#message(attempt, event.message);
    else if (event.type === 'query.retrying') {
      this.#retryReason = event.error.code;
      recordAgentError(attempt.span, event.error);
    }
  }

  /** The attempt's instance ended (a retry follows, or the query settles next). */
  endAttempt(): void {
    const attempt = this.#attempt;
    if (!attempt) return;
    this.#attempt = undefined;
    attempt.tools.endAll('attempt_ended');
    attempt.span.end();
  }

  /** The query settled: the last attempt's span gets its outcome and ends. */
  end(result: QueryResult): void {
    const attempt = this.#attempt;
    if (!attempt) return;
    attempt.span.setAttribute(A.status, result.status);
    if (result.error) recordAgentError(attempt.span, result.error);
    this.endAttempt();
  }

  #message(attempt: OpenAttempt, message: CliMessage): void {
    attempt.tools.message(message);
    recordAgentMessage(attempt.span, message);
  }
}
