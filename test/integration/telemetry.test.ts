import { describe, expect, it } from 'vitest';
import { runTaskQueue } from '../../src/orchestration/task-queue/run-task-queue.js';
import { createRuntime } from '../../src/runtime/create-runtime.js';
import { toolUse } from '../../src/testing/builders.js';
import { useSimulator } from '../helpers/integration.js';
import { memoryTracing } from '../telemetry/memory-tracing.js';

const sim = useSimulator();

describe('telemetry (real CLI against the simulator)', () => {
  it('traces a run: workflow → agent → tool spans, and the CLI runs under TRACEPARENT', async () => {
    const tracing = memoryTracing();
    const runtime = createRuntime({
      defaults: { ...sim.env.options, allowedTools: ['Bash'], retry: { maxAttempts: 1 } },
      telemetry: { tracerProvider: tracing.provider },
    });
    // The model asks for a Bash call that prints the CLI's TRACEPARENT: its tool result,
    // sent back to the simulator, shows what the CLI process was given.
    sim.env.simulator.on('show trace', [
      toolUse('Bash', { command: 'printenv TRACEPARENT' }),
      { kind: 'text', text: 'traced' },
    ]);
    const run = runTaskQueue(
      runtime,
      { name: 'traced', tasks: [{ id: 'only', prompt: 'show trace' }] },
      { tracerProvider: tracing.provider },
    );
    const summary = await run.result;
    await runtime.stop();
    expect(summary.status).toBe('succeeded');

    const [workflow] = tracing.named('invoke_workflow traced');
    const [agent] = tracing.named('invoke_agent');
    const [tool] = tracing.named('execute_tool Bash');
    expect(tracing.parentOf(agent!)).toBe(workflow!.spanContext().spanId);
    expect(tracing.parentOf(tool!)).toBe(agent!.spanContext().spanId);
    expect(agent?.attributes).toMatchObject({
      'gen_ai.operation.name': 'invoke_agent',
      'gen_ai.provider.name': 'anthropic',
      'claude_actors.attempt': 1,
      'claude_actors.status': 'succeeded',
    });
    expect(agent?.attributes['gen_ai.conversation.id']).toMatch(/^[0-9a-f-]{36}$/);
    expect(agent?.attributes['gen_ai.usage.output_tokens']).toBeGreaterThan(0);
    expect(tool?.attributes['gen_ai.tool.call.id']).toEqual(expect.any(String));

    const { traceId, spanId } = agent!.spanContext();
    const printed = sim.env.simulator.requests.flatMap((r) => r.toolResults.map((t) => t.content));
    expect(printed.map((text) => text.trim())).toContain(`00-${traceId}-${spanId}-01`);
  }, 60_000);
});
