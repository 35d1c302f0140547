import { context, trace } from '@opentelemetry/api';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { SpawnClaudeOptions } from '../../../src/process/spawn/spawn-claude.js';
import { createRuntime, type Runtime } from '../../../src/runtime/create-runtime.js';
import { scriptedSpawn } from '../../helpers/scripted-spawn.js';
import { settle } from '../../orchestration/patterns/harness.js';
import { memoryTracing } from '../memory-tracing.js';

/** The first call of each prompt is overloaded, the next ones answer. */
const overloadedOnce = (prompt: string, _call: number, { n }: { n: number }) =>
  n === 1 ? { apiErrorStatus: 529, delayMs: 10 } : { text: `ok ${prompt}`, delayMs: 10 };

describe('runtime query spans (fake CLI, fake timers, in-memory exporter)', () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  function runtimeWith(tracing = memoryTracing()) {
    const { spawn: scripted } = scriptedSpawn(overloadedOnce);
    const envs: Record<string, string>[] = [];
    const spawn = (options: SpawnClaudeOptions) => {
      envs.push(options.env);
      return scripted(options);
    };
    const runtime = createRuntime({
      defaults: {
        executable: process.execPath,
        model: 'sonnet',
        retry: { maxAttempts: 3, initialDelayMs: 100, jitter: 0 },
      },
      processes: { spawn },
      telemetry: { tracerProvider: tracing.provider },
    });
    return { runtime, envs, tracing };
  }

  async function stop(runtime: Runtime): Promise<void> {
    const stopped = runtime.stop({ deadlineMs: 0 });
    await vi.runAllTimersAsync();
    await stopped;
  }

  it('makes one invoke_agent span per attempt and hands each CLI its own TRACEPARENT', async () => {
    const { runtime, envs, tracing } = runtimeWith();
    const result = await settle(runtime.query('q', {}, { tags: ['team:a'] }).result);
    expect(result).toMatchObject({ status: 'succeeded', attempts: 2 });

    const spans = tracing.named('invoke_agent');
    expect(spans.map((s) => s.attributes['claude_actors.attempt'])).toEqual([1, 2]);
    expect(spans[0]?.attributes).toMatchObject({
      'error.type': 'API_ERROR',
      'gen_ai.request.model': 'sonnet',
      'gen_ai.provider.name': 'anthropic',
    });
    expect(spans[1]?.attributes).toMatchObject({
      'claude_actors.retry.reason': 'API_ERROR',
      'claude_actors.status': 'succeeded',
      'gen_ai.usage.input_tokens': 10,
      'gen_ai.usage.output_tokens': 5,
      'claude_actors.tags': ['team:a'],
    });
    expect(spans[1]?.attributes['gen_ai.conversation.id']).toMatch(/^s-\d+$/);
    expect(envs.map((env) => env.TRACEPARENT)).toEqual(
      spans.map((s) => `00-${s.spanContext().traceId}-${s.spanContext().spanId}-01`),
    );
    await stop(runtime);
  });

  it('puts the spans under the traceContext option, else under the active context', async () => {
    const { runtime, tracing } = runtimeWith();
    const tracer = tracing.provider.getTracer('test');
    const workflow = tracer.startSpan('invoke_workflow');
    const handle = runtime.query(
      'a',
      {},
      { traceContext: trace.setSpan(context.active(), workflow) },
    );
    await settle(handle.result);
    workflow.end();
    const spans = tracing.named('invoke_agent');
    expect(spans).toHaveLength(2);
    for (const span of spans) {
      expect(tracing.parentOf(span)).toBe(workflow.spanContext().spanId);
      expect(span.spanContext().traceId).toBe(workflow.spanContext().traceId);
    }
    await stop(runtime);
  });

  it('gives the CLI no TRACEPARENT when no SDK records spans', async () => {
    const { spawn: scripted } = scriptedSpawn(() => ({ text: 'ok', delayMs: 10 }));
    const envs: Record<string, string>[] = [];
    const runtime = createRuntime({
      defaults: { executable: process.execPath, retry: { maxAttempts: 1 } },
      processes: {
        spawn: (options) => {
          envs.push(options.env);
          return scripted(options);
        },
      },
    });
    await settle(runtime.query('q').result);
    expect(envs).toHaveLength(1);
    expect(envs[0]?.TRACEPARENT).toBeUndefined();
    await stop(runtime);
  });
});
