import { describe, expect, it } from 'vitest';
import { createActor, fromCallback } from 'xstate';
import { createRuntime } from '../../src/runtime/create-runtime.js';
import { createSupervisor } from '../../src/supervisors/create-supervisor.js';
import { supervisorClient } from '../../src/supervisors/supervisor-client.js';
import { fakeSpawn } from '../helpers/fake-spawn.js';

/** Heap in use after a full collection (run with --expose-gc, see vitest.config.ts). */
async function heapAfterGc(): Promise<number> {
  const gc = (globalThis as { gc?: () => void }).gc;
  if (!gc) throw new Error('run with --expose-gc');
  for (let i = 0; i < 3; i++) {
    gc();
    await new Promise((resolve) => setImmediate(resolve));
  }
  return process.memoryUsage().heapUsed;
}

const MB = 1024 * 1024;
const report = (what: string, bytes: number): void => {
  if (process.env.REPORT_TIMINGS)
    process.stderr.write(`${what}: heap ${(bytes / 1024).toFixed(0)} KiB\n`);
};

describe('no leaks', () => {
  it('10,000 completed queries leave memory flat and nothing behind in the tree', async () => {
    const runtime = createRuntime({
      defaults: { executable: process.execPath },
      processes: { spawn: fakeSpawn },
    });
    const batch = async (n: number) => {
      for (let i = 0; i < n; i += 500) {
        const handles = Array.from({ length: Math.min(500, n - i) }, (_, k) =>
          runtime.query(`q${i + k}`),
        );
        const results = await Promise.all(handles.map((h) => h.result));
        expect(results.every((r) => r.status === 'succeeded')).toBe(true);
      }
    };
    await batch(2_000);
    const before = await heapAfterGc();
    await batch(10_000);
    const middle = await heapAfterGc();
    await batch(10_000);
    const after = await heapAfterGc();
    expect(runtime.running()).toEqual([]);
    const queries = runtime.tree().children!.find((c) => c.id === 'queries')!;
    expect(queries.children).toEqual([]);
    // A leak grows the heap in each batch alike; the first batch after warm-up also grows
    // V8's own structures (compiled code, feedback, inline caches) by a varying amount (0.5 to
    // 2.6 MB seen on Node 20–24), so the smaller of the two growths is the query's own.
    const growth = Math.min(middle - before, after - middle);
    report('10,000 queries', growth);
    // Less than 200 bytes per query: a retained result, subject or actor would be far more.
    expect(growth).toBeLessThan(2 * MB);
    await runtime.stop();
  }, 90_000);

  it('10,000 restarts leave memory flat and one child in the supervisor', async () => {
    // A child whose callback throws on demand: each throw is an abnormal exit.
    const logic = fromCallback(({ receive }) => {
      receive(() => {
        throw new Error('crash');
      });
    });
    const supervisor = createActor(
      createSupervisor({ intensity: 1_000_000, period: 1 }, [{ id: 'w', start: () => logic }]),
    ).start();
    const client = supervisorClient(supervisor);
    const restartMany = (n: number) => {
      for (let i = 0; i < n; i++)
        (client.whichChildren()[0]!.child as { send: (e: unknown) => void }).send({ type: 'boom' });
    };
    restartMany(2_000);
    const before = await heapAfterGc();
    restartMany(10_000);
    const after = await heapAfterGc();
    expect(supervisor.getSnapshot().context.totalRestarts).toBe(12_000);
    expect(client.countChildren()).toEqual({ specs: 1, active: 1, supervisors: 0, workers: 1 });
    report('10,000 restarts', after - before);
    expect(after - before).toBeLessThan(2 * MB);
    supervisor.stop();
  }, 60_000);
});
