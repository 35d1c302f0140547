import { trace } from '@opentelemetry/api';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { parallel } from '../../../src/orchestration/patterns/parallel.js';
import { pipeline } from '../../../src/orchestration/patterns/pipeline.js';
import { memoryTracing } from '../../telemetry/memory-tracing.js';
import { settle, usePatternRuntime } from './harness.js';

describe('pattern spans (global tracer provider, fake CLI)', () => {
  const env = usePatternRuntime((prompt) => ({ text: `ok ${prompt}`, delayMs: 10 }));
  let tracing: ReturnType<typeof memoryTracing>;
  beforeEach(() => {
    tracing = memoryTracing();
    trace.setGlobalTracerProvider(tracing.provider);
  });
  afterEach(() => trace.disable());

  it.each([
    ['parallel', () => parallel(env.runtime, [{ prompt: 'a' }, { prompt: 'b' }])],
    ['pipeline', () => pipeline(env.runtime, [{ prompt: 'a' }, { prompt: () => 'b' }])],
  ])('makes an invoke_workflow span for %s with its task spans under it', async (name, start) => {
    await settle<unknown>(start().result);
    const [workflow] = tracing.named(`invoke_workflow ${name}`);
    expect(workflow?.attributes).toMatchObject({
      'gen_ai.operation.name': 'invoke_workflow',
      'gen_ai.workflow.name': name,
    });
    const agents = tracing.named('invoke_agent');
    expect(agents).toHaveLength(2);
    for (const agent of agents) {
      expect(tracing.parentOf(agent)).toBe(workflow?.spanContext().spanId);
    }
  });
});
