/**
 * Supervisor benchmarks (in-process children, no CLI):
 * - restart latency of a crashing child: from the crash to the new instance started;
 * - starting and stopping 1,000, 10,000 and 100,000 children of a simple_one_for_one
 *   supervisor: the median over RUNS rounds (default 3; 1k and 10k run 5× and 2× per round) of wall time (CPU time beside it: on a
 *   shared machine it varies less), heap per child, the 100k / 1k ratios of the medians (linear
 *   is 100), and pass/fail against the goals: 100k start and stop each < 2 s, ratio < 150.
 *
 * - stopping 1,000 and 20,000 children that each have a timer pending (a machine's `after`):
 *   XState walks every timer of the system per stopped actor unless the supervisor indexes them.
 *
 *   npm run bench:supervisor            (RUNS=5 npm run bench:supervisor for more rounds)
 */
import { createActor, createMachine, fromCallback } from 'xstate';
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
const percentile = (xs: readonly number[], p: number): number => {
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
interface Figures {
  readonly startMs: number;
  readonly stopMs: number;
  readonly startCpuMs: number;
  readonly stopCpuMs: number;
  readonly bytes: number;
}
const cpuMs = (since: NodeJS.CpuUsage): number => {
  const used = process.cpuUsage(since);
  return (used.user + used.system) / 1000;
};
async function startStop(n: number): Promise<Figures> {
  const s = createActor(
    createSupervisor({ strategy: 'simple_one_for_one' }, [{ id: 'c', start: () => idle }]),
  ).start();
  const c = supervisorClient(s);
  const before = await heap();
  const c0 = process.cpuUsage();
  const t0 = performance.now();
  await Promise.all(Array.from({ length: n }, () => c.startChild([])));
  const startMs = performance.now() - t0;
  const startCpuMs = cpuMs(c0);
  const bytes = (await heap()) - before;
  const c1 = process.cpuUsage();
  const t1 = performance.now();
  await c.stop();
  const stopMs = performance.now() - t1;
  const stopCpuMs = cpuMs(c1);
  return { startMs, stopMs, startCpuMs, stopCpuMs, bytes };
}
const median = (xs: readonly number[]): number => percentile(xs, 0.5);
const rounds = Number(process.env.RUNS ?? 3);
if (!Number.isInteger(rounds) || rounds < 1) {
  throw new Error(`Expected RUNS to be a positive integer, got \`${process.env.RUNS}\``);
}
const sizes = [1_000, 10_000, 100_000] as const;
const runs = new Map<number, Figures[]>(sizes.map((n) => [n, []]));
await startStop(1_000); // warm-up
await startStop(10_000);
// A 1,000-children stop takes a few ms, so its timer noise would dominate the ratios: the
// smaller sizes are repeated more (5× and 2× per round) and their median is taken over all runs.
const repeats = new Map<number, number>([
  [1_000, 5],
  [10_000, 2],
  [100_000, 1],
]);
for (let round = 0; round < rounds; round++) {
  for (const n of sizes) {
    for (let r = 0; r < repeats.get(n)!; r++) runs.get(n)!.push(await startStop(n));
  }
}
const med = new Map<number, Figures>();
for (const n of sizes) {
  const all = runs.get(n)!;
  const m: Figures = {
    startMs: median(all.map((f) => f.startMs)),
    stopMs: median(all.map((f) => f.stopMs)),
    startCpuMs: median(all.map((f) => f.startCpuMs)),
    stopCpuMs: median(all.map((f) => f.stopCpuMs)),
    bytes: median(all.map((f) => f.bytes)),
  };
  med.set(n, m);
  console.log(
    `${n.toLocaleString('en')} children (median of ${all.length}): start ${m.startMs.toFixed(0)} ms ` +
      `(${((m.startMs / n) * 1000).toFixed(1)} µs each, cpu ${m.startCpuMs.toFixed(0)} ms), ` +
      `stop ${m.stopMs.toFixed(0)} ms (${((m.stopMs / n) * 1000).toFixed(1)} µs each, cpu ${m.stopCpuMs.toFixed(0)} ms), ` +
      `heap ${(m.bytes / n / 1024).toFixed(2)} KiB per child; ` +
      `runs start ${all.map((f) => f.startMs.toFixed(0)).join('/')} ms, stop ${all.map((f) => f.stopMs.toFixed(0)).join('/')} ms`,
  );
}
const small = med.get(1_000)!;
const large = med.get(100_000)!;
const startRatio = large.startMs / small.startMs;
const stopRatio = large.stopMs / small.stopMs;
console.log(
  `100,000 / 1,000 children: start ratio ${startRatio.toFixed(0)}, stop ratio ${stopRatio.toFixed(0)} ` +
    `(linear: 100; cpu ratios ${(large.startCpuMs / small.startCpuMs).toFixed(0)} / ${(large.stopCpuMs / small.stopCpuMs).toFixed(0)})`,
);
// The floor: the same children created, started and stopped by hand under a plain parent actor
// (no supervisor, no calls). XState's own cost per actor grows with the number of actors (GC
// of a larger heap), so its 100k / 1k ratios are not 100 either.
function bare(n: number): { startMs: number; stopMs: number } {
  const parent = createActor(fromCallback(() => () => {})).start();
  const scope = (parent as unknown as { _actorScope: { stopChild(ref: unknown): void } })
    ._actorScope;
  const t0 = performance.now();
  const refs = [];
  for (let i = 0; i < n; i++) {
    refs.push(createActor(idle, { parent, id: `c-${i}` } as never).start());
  }
  const startMs = performance.now() - t0;
  const t1 = performance.now();
  for (const ref of refs) scope.stopChild(ref);
  const stopMs = performance.now() - t1;
  parent.stop();
  return { startMs, stopMs };
}
const bareRuns = new Map<number, { startMs: number; stopMs: number }[]>([
  [1_000, []],
  [100_000, []],
]);
for (let round = 0; round < rounds; round++) {
  for (let r = 0; r < 5; r++) bareRuns.get(1_000)!.push(bare(1_000));
  await heap();
  bareRuns.get(100_000)!.push(bare(100_000));
  await heap();
}
const bareMedian = (n: number, key: 'startMs' | 'stopMs') =>
  median(bareRuns.get(n)!.map((f) => f[key]));
console.log(
  `bare XState (createActor + start / stop under a plain parent): 1,000 ${bareMedian(1_000, 'startMs').toFixed(1)} / ${bareMedian(1_000, 'stopMs').toFixed(1)} ms, ` +
    `100,000 ${bareMedian(100_000, 'startMs').toFixed(0)} / ${bareMedian(100_000, 'stopMs').toFixed(0)} ms, ` +
    `ratios ${(bareMedian(100_000, 'startMs') / bareMedian(1_000, 'startMs')).toFixed(0)} / ${(bareMedian(100_000, 'stopMs') / bareMedian(1_000, 'stopMs')).toFixed(0)}`,
);
const goals = [
  ['100,000 children start < 2 s', large.startMs < 2_000],
  ['100,000 children stop < 2 s', large.stopMs < 2_000],
  ['start ratio < 150', startRatio < 150],
  ['stop ratio < 150', stopRatio < 150],
] as const;
for (const [goal, met] of goals) console.log(`${met ? 'PASS' : 'FAIL'} ${goal}`);

// Children with a timer pending each.
const timed = createMachine({
  initial: 'waiting',
  states: { waiting: { after: { 600000: 'done' } }, done: {} },
});
const timedStop: number[] = [];
for (const n of [1_000, 20_000]) {
  const s = createActor(
    createSupervisor({ strategy: 'simple_one_for_one' }, [
      { id: 't', start: () => timed, shutdown: 'brutal_kill' },
    ]),
  ).start();
  const c = supervisorClient(s);
  await Promise.all(Array.from({ length: n }, () => c.startChild([])));
  const t0 = performance.now();
  await c.stop();
  timedStop.push(performance.now() - t0);
}
console.log(
  `stop 1,000 / 20,000 children with a timer each: ${timedStop.map((ms) => ms.toFixed(0)).join(' / ')} ms ` +
    `(ratio ${(timedStop[1]! / timedStop[0]!).toFixed(0)}, linear: 20)`,
);
