import { context, ROOT_CONTEXT, SpanStatusCode, trace } from '@opentelemetry/api';
import { describe, expect, it } from 'vitest';
import { ApiError } from '../../../src/machines/query/errors/api-error.js';
import type { QueryEvent, QueryResult } from '../../../src/machines/query/query-types.js';
import type { CliMessage } from '../../../src/protocol/cli-message.js';
import { QueryTrace } from '../../../src/telemetry/tracing/query-trace.js';
import { memoryTracing } from '../memory-tracing.js';

const message = (attempt: number, m: Record<string, unknown>): QueryEvent => ({
  type: 'query.message',
  attempt,
  message: { session_id: 'sess-1', uuid: 'u', parent_tool_use_id: null, ...m } as CliMessage,
});

const init = (attempt: number) =>
  message(attempt, { type: 'system', subtype: 'init', model: 'claude-sonnet-4-5', tools: [] });
const toolUse = (attempt: number, id: string, name: string, parent: string | null = null) =>
  message(attempt, {
    type: 'assistant',
    parent_tool_use_id: parent,
    message: { content: [{ type: 'tool_use', id, name, input: {} }] },
  });
const toolResult = (attempt: number, id: string, isError = false) =>
  message(attempt, {
    type: 'user',
    message: { content: [{ type: 'tool_result', tool_use_id: id, is_error: isError }] },
  });
const result = (attempt: number) =>
  message(attempt, {
    type: 'result',
    subtype: 'success',
    is_error: false,
    result: 'done',
    total_cost_usd: 0.0123,
    usage: { input_tokens: 120, output_tokens: 45, cache_read_input_tokens: 7 },
  });

const finalResult = (status: QueryResult['status'], error?: QueryResult['error']) =>
  ({ status, error }) as QueryResult;

describe('QueryTrace', () => {
  it('makes an invoke_agent span with the GenAI attributes of what the CLI reported', () => {
    const t = memoryTracing();
    const q = new QueryTrace(t.provider.getTracer('test'), ROOT_CONTEXT, {
      queryId: 'q1',
      model: 'sonnet',
      tags: ['team:a'],
    });
    q.startAttempt(1);
    for (const event of [init(1), result(1)]) q.event(event);
    q.end(finalResult('succeeded'));

    const [span] = t.named('invoke_agent');
    expect(span?.attributes).toMatchObject({
      'gen_ai.operation.name': 'invoke_agent',
      'gen_ai.provider.name': 'anthropic',
      'gen_ai.request.model': 'sonnet',
      'gen_ai.response.model': 'claude-sonnet-4-5',
      'gen_ai.conversation.id': 'sess-1',
      'gen_ai.usage.input_tokens': 120,
      'gen_ai.usage.output_tokens': 45,
      'gen_ai.usage.cache_read.input_tokens': 7,
      'claude_actors.cost_usd': 0.0123,
      'claude_actors.attempt': 1,
      'claude_actors.query.id': 'q1',
      'claude_actors.tags': ['team:a'],
      'claude_actors.status': 'succeeded',
    });
    expect(span?.status.code).not.toBe(SpanStatusCode.ERROR);
    expect(span?.ended).toBe(true);
  });

  it('returns the attempt span context as TRACEPARENT', () => {
    const t = memoryTracing();
    const q = new QueryTrace(t.provider.getTracer('test'), ROOT_CONTEXT, {
      queryId: 'q',
      tags: [],
    });
    const env = q.startAttempt(1);
    q.end(finalResult('succeeded'));
    const [span] = t.named('invoke_agent');
    const { traceId, spanId } = span!.spanContext();
    expect(env).toEqual({ TRACEPARENT: `00-${traceId}-${spanId}-01` });
  });

  it('adds nothing to the environment when no SDK records spans', () => {
    const q = new QueryTrace(trace.getTracer('noop'), ROOT_CONTEXT, { queryId: 'q', tags: [] });
    expect(q.startAttempt(1)).toBeUndefined();
  });

  it('makes sibling spans per attempt, the retry carrying the reason and the failure its error.type', () => {
    const t = memoryTracing();
    const parent = t.provider.getTracer('test').startSpan('caller');
    const q = new QueryTrace(
      t.provider.getTracer('test'),
      trace.setSpan(context.active(), parent),
      { queryId: 'q', tags: [] },
    );
    q.startAttempt(1);
    const overloaded = new ApiError({ status: 529 }, { queryId: 'q', attempt: 1 });
    q.event({
      type: 'query.retrying',
      attempt: 1,
      delayMs: 1000,
      error: overloaded,
      parked: false,
    });
    q.endAttempt();
    q.startAttempt(2);
    q.end(finalResult('failed', overloaded));
    parent.end();

    const [first, second] = t.named('invoke_agent');
    expect(first?.attributes).toMatchObject({
      'claude_actors.attempt': 1,
      'error.type': 'API_ERROR',
    });
    expect(first?.attributes['claude_actors.retry.reason']).toBeUndefined();
    expect(first?.status.code).toBe(SpanStatusCode.ERROR);
    expect(second?.attributes).toMatchObject({
      'claude_actors.attempt': 2,
      'claude_actors.retry.reason': 'API_ERROR',
      'error.type': 'API_ERROR',
      'claude_actors.status': 'failed',
    });
    const callerId = parent.spanContext().spanId;
    expect([t.parentOf(first!), t.parentOf(second!)]).toEqual([callerId, callerId]);
    expect(first?.spanContext().traceId).toBe(parent.spanContext().traceId);
  });

  it('makes execute_tool spans from tool_use/tool_result pairs, nested for a subagent', () => {
    const t = memoryTracing();
    const q = new QueryTrace(t.provider.getTracer('test'), ROOT_CONTEXT, {
      queryId: 'q',
      tags: [],
    });
    q.startAttempt(1);
    for (const event of [
      toolUse(1, 'tu-1', 'Task'),
      toolUse(1, 'tu-2', 'Bash', 'tu-1'),
      toolResult(1, 'tu-2', true),
      toolResult(1, 'tu-1'),
      toolUse(1, 'tu-3', 'Read'),
    ]) {
      q.event(event);
    }
    q.end(finalResult('succeeded'));

    const agent = t.named('invoke_agent')[0]!;
    const [task] = t.named('execute_tool Task');
    const [bash] = t.named('execute_tool Bash');
    const [read] = t.named('execute_tool Read');
    expect(task?.attributes).toMatchObject({
      'gen_ai.operation.name': 'execute_tool',
      'gen_ai.tool.name': 'Task',
      'gen_ai.tool.call.id': 'tu-1',
    });
    expect(t.parentOf(task!)).toBe(agent.spanContext().spanId);
    expect(t.parentOf(bash!)).toBe(task!.spanContext().spanId);
    expect(bash?.attributes['error.type']).toBe('tool_error');
    expect(task?.attributes['error.type']).toBeUndefined();
    // Unanswered when the attempt ended: ended with it, marked.
    expect(read?.attributes['error.type']).toBe('attempt_ended');
  });
});
