/**
 * Supervisor benchmarks (in-process children, no CLI):
 * - restart latency of a crashing child: from the crash to the new instance started;
 * - starting and stopping 1,000, 10,000 and 100,000 children of a simple_one_for_one
 *   supervisor: time and heap per child, and the 100k / 1k time ratios (linear is 100).
 *
 *   npm run bench:supervisor
 */
import { createActor, fromCallback } from 'xstate';
import { createSupervisor } from '../src/supervisors/create-supervisor.js';
import { supervisorClient } from '../src/supervisors/supervisor-client.js';

const gc = (globalThis as { gc?: () => void }).gc;
if (!gc) throw new Error('run with node --expose-gc (npm run bench:supervisor does)');
const heap = async (): Promise<number> => {
  for (let i = 0; i < 3; i++) {
    gc();
    await new Promise((r) => setImmediate(r));
  }
  return process.memoryUsage().heapUsed;
};
const percentile = (xs: number[], p: number): number => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor(s.length * p))]!;
};

// Restart latency.
const crashing = fromCallback(({ receive }) => {
  receive(() => {
    throw new Error('crash');
  });
});
const sup = createActor(
  createSupervisor({ intensity: 1_000_000, period: 1 }, [{ id: 'w', start: () => crashing }]),
).start();
let startedAt = 0;
const latencies: number[] = [];
sup.on('child.started', () => {
  if (startedAt) latencies.push(performance.now() - startedAt);
});
const client = supervisorClient(sup);
for (let i = 0; i < 11_000; i++) {
  const child = client.whichChildren()[0]!.child as { send: (e: unknown) => void };
  startedAt = performance.now();
  child.send({ type: 'boom' });
}
sup.stop();
const warm = latencies.slice(1_000);
console.log(
  `restart latency (10,000 restarts): median ${(percentile(warm, 0.5) * 1000).toFixed(1)} µs, p99 ${(percentile(warm, 0.99) * 1000).toFixed(1)} µs`,
);

// Start and stop N children.
const idle = fromCallback(() => () => {});
async function startStop(n: number): Promise<{ startMs: number; stopMs: number; bytes: number }> {
  const s = createActor(
    createSupervisor({ strategy: 'simple_one_for_one' }, [{ id: 'c', start: () => idle }]),
  ).start();
  const c = supervisorClient(s);
  const before = await heap();
  const t0 = performance.now();
  await Promise.all(Array.from({ length: n }, () => c.startChild([])));
  const startMs = performance.now() - t0;
  const bytes = (await heap()) - before;
  const t1 = performance.now();
  await c.stop();
  const stopMs = performance.now() - t1;
  return { startMs, stopMs, bytes };
}
const figures = new Map<number, { startMs: number; stopMs: number }>();
await startStop(1_000); // warm-up
for (const n of [1_000, 10_000, 100_000]) {
  const { startMs, stopMs, bytes } = await startStop(n);
  figures.set(n, { startMs, stopMs });
  console.log(
    `${n.toLocaleString('en')} children: start ${startMs.toFixed(0)} ms (${((startMs / n) * 1000).toFixed(1)} µs each), ` +
      `stop ${stopMs.toFixed(0)} ms (${((stopMs / n) * 1000).toFixed(1)} µs each), heap ${(bytes / n / 1024).toFixed(2)} KiB per child`,
  );
}
const small = figures.get(1_000)!;
const large = figures.get(100_000)!;
console.log(
  `100,000 / 1,000 children: start ratio ${(large.startMs / small.startMs).toFixed(0)}, ` +
    `stop ratio ${(large.stopMs / small.stopMs).toFixed(0)} (linear: 100)`,
);
