import { ROOT_CONTEXT, SpanStatusCode } from '@opentelemetry/api';
import { Subject } from 'rxjs';
import { describe, expect, it } from 'vitest';
import type { SessionLifecycleEvent } from '../../../src/machines/session/session.js';
import { ProcessExitedError } from '../../../src/process/errors/process-exited-error.js';
import type { CliMessage } from '../../../src/protocol/cli-message.js';
import { traceSession } from '../../../src/telemetry/tracing/session-trace.js';
import { memoryTracing } from '../memory-tracing.js';

const msg = (m: Record<string, unknown>) =>
  ({ session_id: 'sess-9', uuid: 'u', parent_tool_use_id: null, ...m }) as CliMessage;
const init = msg({ type: 'system', subtype: 'init', model: 'claude-haiku', tools: [] });
const result = (isError = false) =>
  msg({
    type: 'result',
    subtype: 'success',
    is_error: isError,
    total_cost_usd: 0.002,
    usage: { input_tokens: 3, output_tokens: 2 },
  });

function setup() {
  const t = memoryTracing();
  const messages = new Subject<CliMessage>();
  const lifecycle = new Subject<SessionLifecycleEvent>();
  traceSession(
    t.provider.getTracer('test'),
    ROOT_CONTEXT,
    { key: 'chat', model: 'haiku' },
    messages,
    lifecycle,
  );
  return { t, messages, lifecycle };
}

describe('traceSession', () => {
  it('makes one invoke_agent span per turn, numbered, with usage and the conversation id', () => {
    const { t, messages } = setup();
    for (const m of [init, result(), msg({ type: 'keep_alive' }), init, result(true)]) {
      messages.next(m);
    }
    const spans = t.named('invoke_agent');
    expect(spans.map((s) => s.attributes['claude_actors.turn'])).toEqual([1, 2]);
    expect(spans[0]?.attributes).toMatchObject({
      'gen_ai.provider.name': 'anthropic',
      'gen_ai.request.model': 'haiku',
      'gen_ai.response.model': 'claude-haiku',
      'gen_ai.conversation.id': 'sess-9',
      'gen_ai.usage.input_tokens': 3,
      'claude_actors.cost_usd': 0.002,
      'claude_actors.session.key': 'chat',
    });
    expect(spans[0]?.status.code).not.toBe(SpanStatusCode.ERROR);
    expect(spans[1]?.attributes['error.type']).toBe('turn_error');
  });

  it('ends a turn cut short by the CLI dying, with the failure code, tools included', () => {
    const { t, messages, lifecycle } = setup();
    messages.next(init);
    messages.next(
      msg({
        type: 'assistant',
        message: { content: [{ type: 'tool_use', id: 't1', name: 'Bash', input: {} }] },
      }),
    );
    const error = new ProcessExitedError({ exitCode: 1, stderrTail: '' }, { retryable: true });
    lifecycle.next({ type: 'session.failed', error, generation: 1 });
    const [turn] = t.named('invoke_agent');
    expect(turn?.attributes['error.type']).toBe(error.code);
    const [tool] = t.named('execute_tool Bash');
    expect(tool?.attributes['error.type']).toBe('turn_ended');
    expect(t.parentOf(tool!)).toBe(turn?.spanContext().spanId);
  });
});
