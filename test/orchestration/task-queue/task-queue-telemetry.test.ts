import { firstValueFrom, toArray } from 'rxjs';
import { afterEach, describe, expect, it } from 'vitest';
import type { PlanInput } from '../../../src/orchestration/plan/plan-schema.js';
import { runTaskQueue } from '../../../src/orchestration/task-queue/run-task-queue.js';
import { createRuntime, type Runtime } from '../../../src/runtime/create-runtime.js';
import type {
  PluginTaskEnd,
  PluginTaskStart,
  RuntimePlugin,
} from '../../../src/telemetry/plugins/runtime-plugin.js';
import { memoryTracing } from '../../telemetry/memory-tracing.js';
import { createScriptedSpawn } from './scripted-spawn.js';

const runtimes: Runtime[] = [];
afterEach(async () => {
  await Promise.all(runtimes.splice(0).map((runtime) => runtime.stop({ deadlineMs: 100 })));
});

const plan: PlanInput = {
  name: 'chain',
  tasks: [
    { id: 'a', prompt: 'task a' },
    { id: 'b', prompt: 'task b', dependsOn: ['a'] },
    { id: 'c', prompt: 'task c', dependsOn: ['b'] },
  ],
};

function setup(failing: string | undefined = undefined) {
  const tracing = memoryTracing();
  const fake = createScriptedSpawn((prompt) =>
    failing && prompt.startsWith(failing) ? { fail: true } : {},
  );
  const runtime = createRuntime({
    defaults: { executable: process.execPath, retry: { maxAttempts: 1 } },
    processes: { spawn: fake.spawn },
    telemetry: { tracerProvider: tracing.provider },
  });
  runtimes.push(runtime);
  return { runtime, tracing };
}

describe('runTaskQueue telemetry', () => {
  it('makes an invoke_workflow span with every task query span under it', async () => {
    const { runtime, tracing } = setup();
    const run = runTaskQueue(runtime, plan, { workers: 2, tracerProvider: tracing.provider });
    const summary = await run.result;
    expect(summary.status).toBe('succeeded');
    const [workflow] = tracing.named('invoke_workflow chain');
    expect(workflow?.attributes).toMatchObject({
      'gen_ai.operation.name': 'invoke_workflow',
      'gen_ai.workflow.name': 'chain',
      'claude_actors.run.id': run.runId,
      'claude_actors.status': 'succeeded',
      'claude_actors.tasks.total': 3,
    });
    const agents = tracing.named('invoke_agent');
    expect(agents).toHaveLength(3);
    for (const agent of agents) {
      expect(tracing.parentOf(agent)).toBe(workflow?.spanContext().spanId);
      expect(agent.spanContext().traceId).toBe(workflow?.spanContext().traceId);
    }
  });

  it('calls onTaskStart and onTaskEnd in order, isolating a throwing hook', async () => {
    const { runtime, tracing } = setup('task b');
    const starts: PluginTaskStart[] = [];
    const ends: PluginTaskEnd[] = [];
    const plugins: RuntimePlugin[] = [
      {
        name: 'broken',
        onTaskStart: () => {
          throw new Error('boom');
        },
      },
      { name: 'log', onTaskStart: (t) => void starts.push(t), onTaskEnd: (t) => void ends.push(t) },
    ];
    const run = runTaskQueue(runtime, plan, {
      workers: 1,
      plugins,
      tracerProvider: tracing.provider,
    });
    const summary = await run.result;
    expect(summary.counts).toMatchObject({ succeeded: 1, failed: 1, skipped: 1 });
    expect(starts.map((t) => [t.taskId, t.attempt])).toEqual([
      ['a', 1],
      ['b', 1],
    ]);
    expect(starts[0]?.queryId).toEqual(expect.any(String));
    expect(ends.map((t) => [t.taskId, t.status])).toEqual([
      ['a', 'succeeded'],
      ['b', 'failed'],
      ['c', 'skipped'],
    ]);
    expect(ends[1]?.error).toBeInstanceOf(Error);
    const [workflow] = tracing.named('invoke_workflow chain');
    expect(workflow?.attributes['error.type']).toBe('task_failed');
    const errors = await firstValueFrom(run.pluginErrors$.pipe(toArray()));
    expect(errors.map((e) => [e.plugin, e.hook, (e.error as Error).message])).toEqual([
      ['broken', 'onTaskStart', 'boom'],
      ['broken', 'onTaskStart', 'boom'],
    ]);
  });

  it('refuses invalid plugins, naming them', () => {
    const { runtime } = setup();
    expect(() => runTaskQueue(runtime, plan, { plugins: [{ name: '' }] as never })).toThrow(
      'plugins[0].name',
    );
  });
});
