import { describe, expect, it } from 'vitest';
import type { SessionLifecycleEvent } from '../../src/machines/session/session.js';
import { liveProcesses } from '../../src/process/registry/process-registry.js';
import { createRuntime } from '../../src/runtime/create-runtime.js';
import { eventually, useSimulator } from '../helpers/integration.js';

const sim = useSimulator();

describe('sessions in the runtime (real CLI)', () => {
  it('runs a supervised multi-turn session from the warm pool and closes it on stop', async () => {
    const runtime = createRuntime({ defaults: sim.env.options, pool: { size: 1 } });
    sim.env.simulator.on('turn one', { kind: 'text', text: 'first answer' });
    sim.env.simulator.on('turn two', { kind: 'text', text: 'second answer' });
    const session = runtime.session();
    const lifecycle: SessionLifecycleEvent[] = [];
    session.lifecycle$.subscribe((e) => lifecycle.push(e));
    expect((await session.send('turn one').result).result.result).toBe('first answer');
    expect((await session.send('turn two').result).result.result).toBe('second answer');
    // The second request carried the first turn: one conversation.
    expect(JSON.stringify(sim.env.simulator.requests.at(-1)?.body)).toContain('first answer');
    const sessionsNode = runtime.tree().children!.find((c) => c.id === 'sessions')!;
    expect(sessionsNode.children).toHaveLength(1);
    expect(sessionsNode.children![0]).toMatchObject({ status: 'running' });
    // The first session taught the pool its configuration; the next one is served warm.
    expect(runtime.poolStats()).toMatchObject({ hits: 0, misses: 1 });
    expect(await eventually(() => runtime.poolStats()?.idle === 1, 5_000)).toBe(true);
    const warm = runtime.session();
    expect((await warm.send('turn one').result).result.result).toBe('first answer');
    expect(runtime.poolStats()).toMatchObject({ hits: 1, misses: 1 });
    await runtime.stop();
    expect(await eventually(() => liveProcesses().length === 0, 5_000)).toBe(true);
    expect(lifecycle.some((e) => e.type === 'session.closed')).toBe(true);
  });

  it('restarts a session whose CLI is killed, resuming the conversation, and says so', async () => {
    const runtime = createRuntime({ defaults: sim.env.options });
    sim.env.simulator.on('remember', { kind: 'text', text: 'noted' });
    sim.env.simulator.on('recall', { kind: 'text', text: 'recalled' });
    const session = runtime.session();
    const lifecycle: SessionLifecycleEvent[] = [];
    session.lifecycle$.subscribe((e) => lifecycle.push(e));
    await session.send('remember this').result;
    const sessionId = session.sessionId;
    const pid = lifecycle.find((e) => e.type === 'session.spawned')!.pid!;
    process.kill(pid, 'SIGKILL');
    expect(
      await eventually(() => lifecycle.some((e) => e.type === 'session.restarted'), 10_000),
    ).toBe(true);
    const answer = await session.send('recall it').result;
    expect(answer.result.result).toBe('recalled');
    expect(session.sessionId).toBe(sessionId);
    expect(JSON.stringify(sim.env.simulator.requests.at(-1)?.body)).toContain('remember this');
    await runtime.stop();
  });

  it('ends a session with its failure when its supervisor gives up instead of restarting it', async () => {
    const runtime = createRuntime({ defaults: sim.env.options, queries: { intensity: 0 } });
    sim.env.simulator.on('hello', { kind: 'text', text: 'hi' });
    const session = runtime.session();
    const lifecycle: SessionLifecycleEvent[] = [];
    session.lifecycle$.subscribe((e) => lifecycle.push(e));
    await session.send('hello').result;
    process.kill(lifecycle.find((e) => e.type === 'session.spawned')!.pid!, 'SIGKILL');
    await expect(session.closed).resolves.toMatchObject({
      status: 'failed',
      error: expect.objectContaining({ code: 'PROCESS_EXITED' }),
    });
    expect(lifecycle.some((e) => e.type === 'session.restarted')).toBe(false);
    await runtime.stop();
  });

  it('admits each turn through the runtime (budget) and counts its cost in stats()', async () => {
    const runtime = createRuntime({ defaults: sim.env.options, budget: { totalUsd: 0.02 } });
    sim.env.simulator.on(/^paid/, {
      kind: 'text',
      text: 'ok',
      usage: { inputTokens: 4_000, outputTokens: 1_000 },
    });
    const session = runtime.session();
    const first = await session.send('paid 1').result;
    expect(first.turnCostUsd).toBeGreaterThan(0);
    // The turn's cost is in the runtime's stats, like a query's.
    expect(await eventually(() => (runtime.stats()?.total.costUsd ?? 0) > 0, 5_000)).toBe(true);
    expect(runtime.stats()?.total.costUsd).toBeCloseTo(first.turnCostUsd, 6);
    expect(runtime.stats()?.total.succeeded).toBe(1);
    // Spend the rest; once the budget is spent, the next turn is refused before the CLI sees it.
    let refused: unknown;
    for (let i = 2; i < 10 && !refused; i++) {
      await session.send(`paid ${i}`).result.catch((error: unknown) => {
        refused = error;
      });
    }
    expect(refused).toMatchObject({ code: 'BUDGET_EXCEEDED', retryable: false });
    const requests = sim.env.simulator.requests.length;
    await expect(session.send('paid again').result).rejects.toMatchObject({
      code: 'BUDGET_EXCEEDED',
    });
    expect(sim.env.simulator.requests).toHaveLength(requests);
    await runtime.stop();
  });
});
