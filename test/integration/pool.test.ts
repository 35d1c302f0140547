import { describe, expect, it } from 'vitest';
import { parseQueryOptions } from '../../src/machines/query/options/parse-options.js';
import { spawnOptionsFor } from '../../src/machines/query/options/spawn-options-for.js';
import { runQuery } from '../../src/machines/query/run-query.js';
import { ProcessPool } from '../../src/process/pool/process-pool.js';
import { liveProcesses } from '../../src/process/registry/process-registry.js';
import { createRuntime } from '../../src/runtime/create-runtime.js';
import { eventually, isAlive, useSimulator } from '../helpers/integration.js';

const sim = useSimulator();
const pidOf = (handle: ReturnType<typeof runQuery>) => {
  let pid: number | undefined;
  handle.events$.subscribe((e) => {
    if (e.type === 'query.spawned') pid = e.pid;
  });
  return () => pid;
};

describe('the warm process pool (real CLI)', () => {
  it('serves the second query warm, refills, and leaves nothing after close', async () => {
    const pool = new ProcessPool({ size: 1 });
    const first = runQuery('pool one', sim.env.options, { spawn: pool.spawn });
    expect((await first.result).status).toBe('succeeded');
    expect(pool.stats()).toMatchObject({ hits: 0, misses: 1 });
    expect(await eventually(() => pool.stats().idle === 1, 5_000)).toBe(true);
    // The first query's CLI exits just after its result; then only the warm one is left.
    expect(await eventually(() => liveProcesses().length === 1, 5_000)).toBe(true);
    const warmPid = liveProcesses()[0]!;
    const second = runQuery('pool two', sim.env.options, { spawn: pool.spawn });
    const pid = pidOf(second);
    expect(await second.result).toMatchObject({
      status: 'succeeded',
      text: 'Simulated reply to: pool two',
    });
    expect(pid()).toBe(warmPid);
    expect(pool.stats()).toMatchObject({ hits: 1, misses: 1 });
    // Refilled for the next one.
    expect(await eventually(() => pool.stats().idle === 1, 5_000)).toBe(true);
    await pool.close();
    expect(liveProcesses()).toEqual([]);
  });

  it('stops idle processes after maxIdleMs and does not refill them', async () => {
    const pool = new ProcessPool({ size: 1, maxIdleMs: 400 });
    pool.prewarm(spawnOptionsFor(parseQueryOptions(sim.env.options)));
    expect(pool.stats().idle).toBe(1);
    const pid = liveProcesses()[0]!;
    expect(await eventually(() => !isAlive(pid), 5_000)).toBe(true);
    expect(pool.stats()).toMatchObject({ idle: 0, expired: 1 });
    await pool.close();
  });

  it("with reuse 'clear-if-no-tools', serves the next query from the same cleared process", async () => {
    const pool = new ProcessPool({ size: 0, reuse: 'clear-if-no-tools' });
    const first = runQuery('SECRET-ONE first query', sim.env.options, { spawn: pool.spawn });
    const firstPid = pidOf(first);
    expect((await first.result).status).toBe('succeeded');
    expect(await eventually(() => pool.stats().idle === 1, 5_000)).toBe(true);
    const second = runQuery('second query', sim.env.options, { spawn: pool.spawn });
    const secondPid = pidOf(second);
    expect((await second.result).status).toBe('succeeded');
    expect(secondPid()).toBe(firstPid());
    expect(pool.stats()).toMatchObject({ hits: 1, reused: 1 });
    // The cleared process sent nothing of the first query with the second.
    const last = sim.env.simulator.requests.at(-1)!;
    expect(last.prompt).toBe('second query');
    expect(JSON.stringify(last.body)).not.toContain('SECRET-ONE');
    await pool.close();
    expect(liveProcesses()).toEqual([]);
  });

  it('retires a process whose query used a tool instead of reusing it', async () => {
    const pool = new ProcessPool({ size: 0, reuse: 'clear-if-no-tools' });
    sim.env.simulator.on('use a tool', {
      kind: 'tool_use',
      name: 'Bash',
      input: { command: 'echo hi' },
    });
    const handle = runQuery('use a tool', sim.env.options, { spawn: pool.spawn });
    const pid = pidOf(handle);
    expect((await handle.result).status).toBe('succeeded');
    expect(await eventually(() => !isAlive(pid()!), 5_000)).toBe(true);
    expect(pool.stats()).toMatchObject({ idle: 0, reused: 0 });
    await pool.close();
  });

  it('counts idle processes against the concurrency cap: they make way for running queries', async () => {
    const runtime = createRuntime({
      defaults: sim.env.options,
      limiter: { maxConcurrent: 2 },
      pool: { size: 2, maxIdle: 4 },
    });
    runtime.prewarm({}, 2);
    expect(runtime.poolStats()?.idle).toBe(2);
    sim.env.simulator.on('hold', { kind: 'hang' });
    // Another configuration (another model): no warm process fits, so two cold ones start.
    const handles = [
      runtime.query('hold 1', { model: 'other' }),
      runtime.query('hold 2', { model: 'other' }),
    ];
    await sim.env.simulator.waitForRequests(2, 10_000);
    expect(runtime.running()).toHaveLength(2);
    expect(runtime.poolStats()).toMatchObject({ idle: 0, expired: 2 });
    // Running queries plus idle processes never exceed the cap of 2.
    expect(await eventually(() => liveProcesses().length === 2, 5_000)).toBe(true);
    for (const h of handles) h.cancel();
    await runtime.stop();
  });

  it('is used transparently by runtime.query() and stopped with the runtime', async () => {
    const runtime = createRuntime({ defaults: sim.env.options, pool: { size: 1 } });
    expect((await runtime.query('runtime pool 1').result).status).toBe('succeeded');
    expect(await eventually(() => runtime.poolStats()?.idle === 1, 5_000)).toBe(true);
    expect((await runtime.query('runtime pool 2').result).status).toBe('succeeded');
    expect(runtime.poolStats()).toMatchObject({ hits: 1, misses: 1 });
    expect(runtime.tree().children!.map((c) => c.id)).toEqual([
      'system',
      'pool',
      'queries',
      'sessions',
    ]);
    await runtime.stop();
    expect(await eventually(() => liveProcesses().length === 0, 5_000)).toBe(true);
  });
});
