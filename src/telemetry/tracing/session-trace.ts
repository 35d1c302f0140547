import { type Context, type Span, SpanKind, type Tracer, trace } from '@opentelemetry/api';
import type { Observable } from 'rxjs';
import type { SessionLifecycleEvent } from '../../machines/session/session.js';
import type { CliMessage } from '../../protocol/cli-message.js';
import { recordAgentError, recordAgentMessage } from './agent-span-attributes.js';
import { GenAiAttributes as A, PROVIDER_NAME } from './gen-ai-attributes.js';
import { ToolSpans } from './tool-spans.js';

/** What a session trace knows of its session. */
export interface SessionTraceInfo {
  /** The session's local key (`claude_actors.session.key`). */
  readonly key: string;
  readonly model?: string | undefined;
}

interface OpenTurn {
  readonly span: Span;
  readonly tools: ToolSpans;
}

/**
 * @internal An `invoke_agent` span per turn of a session, made from its messages: a turn opens
 * at its first message (the `init` the CLI writes at each turn) and ends at its `result`; its
 * tool calls are `execute_tool` spans under it. A CLI that dies mid-turn ends the turn's span
 * with the failure's code. A session's CLI lives across turns, so it gets no `TRACEPARENT`
 * (there is no one span it belongs to).
 */
export function traceSession(
  tracer: Tracer,
  parent: Context,
  info: SessionTraceInfo,
  messages$: Observable<CliMessage>,
  lifecycle$: Observable<SessionLifecycleEvent>,
): void {
  let turn: OpenTurn | undefined;
  let turns = 0;
  const end = (errorType?: string): void => {
    if (!turn) return;
    if (errorType) recordAgentError(turn.span, errorType);
    turn.tools.endAll('turn_ended');
    turn.span.end();
    turn = undefined;
  };
  messages$.subscribe({
    next(message) {
      if (message.type === 'keep_alive') return;
      if (!turn) {
        // A turn starts with its `init`; what comes between turns (a slash command's echo,
        // session_state_changed, task notifications, hook events) starts none.
        if (message.type !== 'system' || message.subtype !== 'init') return;
        turns += 1;
        const span = tracer.startSpan(
          'invoke_agent',
          {
            kind: SpanKind.CLIENT,
            attributes: {
              [A.operationName]: 'invoke_agent',
              [A.providerName]: PROVIDER_NAME,
              [A.sessionKey]: info.key,
              [A.turn]: turns,
              ...(info.model === undefined ? {} : { [A.requestModel]: info.model }),
            },
          },
          parent,
        );
        turn = { span, tools: new ToolSpans(tracer, trace.setSpan(parent, span)) };
      }
      turn.tools.message(message);
      recordAgentMessage(turn.span, message);
      if (message.type === 'result') end(message.is_error ? 'turn_error' : undefined);
    },
    complete: () => end('session_closed'),
    error: () => end('session_failed'),
  });
  lifecycle$.subscribe((event) => {
    if (event.type === 'session.failed') end(event.error.code);
  });
}
