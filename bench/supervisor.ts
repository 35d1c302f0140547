/**
 * Supervisor benchmarks (in-process children, no CLI):
 * - restart latency of a crashing child: from the crash to the new instance started;
 * - starting and stopping 1,000, 10,000 and 100,000 children of a simple_one_for_one
 *   supervisor over RUNS rounds (default 3; 1k and 10k run 20× and 3× per round), each timed
 *   phase after 3 full GCs: best run, median and spread of wall and CPU time, GC pauses inside
 *   the stop, heap per child, the 100k / 1k ratios (linear is 100) of the best runs, of the
 *   medians and per round, the same for bare XState (run after each supervisor run of the same
 *   size, so the two pair up), what the supervisor adds to XState's own stop (the pairs'
 *   differences) and the goals: 100k start and stop each < 2 s, ratios < 150 (on CPU time;
 *   PASS when both the best runs and the medians meet a goal, NOISE when only one does).
 *
 * - stopping 1,000 and 20,000 children that each have a timer pending (a machine's `after`):
 *   XState walks every timer of the system per stopped actor unless the supervisor indexes them.
 *
 *   npm run bench:supervisor            (RUNS=5 npm run bench:supervisor for more rounds)
 */
import { PerformanceObserver } from 'node:perf_hooks';
import { createActor, createMachine, fromCallback } from 'xstate';
import { createSupervisor } from '../src/supervisors/create-supervisor.js';
import { supervisorClient } from '../src/supervisors/supervisor-client.js';

const gc = (globalThis as { gc?: (options?: { type: 'minor' | 'major' }) => void }).gc;
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

// Start and stop N children. Measured so that noise cannot decide a ratio: every timed phase
// starts after the same settling (3 full GCs), each size has its own warm-up run, sizes are
// interleaved round by round, and each size reports its best (least disturbed) run, its median
// and its spread, in wall and in CPU time (process.cpuUsage: on a shared machine, time spent
// preempted is wall time but not CPU time). GC pauses inside each timed window are measured too
// (perf_hooks 'gc' entries): at 100k the stop's own allocations trigger scavenges inside the
// window, while a 1k stop's garbage is collected after it.
const idle = fromCallback(() => () => {});
interface Figures {
  readonly startMs: number;
  readonly stopMs: number;
  readonly startCpuMs: number;
  readonly stopCpuMs: number;
  readonly stopGcMs: number;
  /** {@link scavengeCpuMs} after the stop. */
  readonly scavengeMs: number;
  readonly bytes: number;
}
const gcPauses: { start: number; end: number }[] = [];
new PerformanceObserver((list) => {
  for (const entry of list.getEntries()) {
    gcPauses.push({ start: entry.startTime, end: entry.startTime + entry.duration });
  }
}).observe({ entryTypes: ['gc'] });
/** GC pause time within [from, to] (entries arrive asynchronously: call after `heap()`). */
const gcWithin = (from: number, to: number): number => {
  let ms = 0;
  for (const p of gcPauses) ms += Math.max(0, Math.min(p.end, to) - Math.max(p.start, from));
  gcPauses.length = 0;
  return ms;
};
const cpuMs = (since: NodeJS.CpuUsage): number => {
  const used = process.cpuUsage(since);
  return (used.user + used.system) / 1000;
};
/**
 * CPU time of one scavenge run right after a timed stop, outside its window: what collecting the
 * young objects the stop left behind costs. A 100k stop collects most of its own inside its
 * window; a 1k stop none, so "stop + this scavenge" charges each size for its own garbage.
 */
const scavengeCpuMs = (): number => {
  const c = process.cpuUsage();
  gc!({ type: 'minor' });
  return cpuMs(c);
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
  gcPauses.length = 0;
  const c1 = process.cpuUsage();
  const t1 = performance.now();
  await c.stop();
  const t2 = performance.now();
  const stopCpuMs = cpuMs(c1);
  const scavengeMs = scavengeCpuMs();
  await heap();
  const stopGcMs = gcWithin(t1, t2);
  return { startMs, stopMs: t2 - t1, startCpuMs, stopCpuMs, stopGcMs, scavengeMs, bytes };
}
const median = (xs: readonly number[]): number => percentile(xs, 0.5);
const best = (xs: readonly number[]): number => Math.min(...xs);
const rounds = Number(process.env.RUNS ?? 3);
if (!Number.isInteger(rounds) || rounds < 1) {
  throw new Error(`Expected RUNS to be a positive integer, got \`${process.env.RUNS}\``);
}
const sizes = [1_000, 10_000, 100_000] as const;
// A 1,000-children stop takes about a millisecond, so one scheduling hiccup doubles it: the
// smaller sizes run more often per round (20× and 3×) than 100k (once).
const repeats = new Map<number, number>([
  [1_000, 20],
  [10_000, 3],
  [100_000, 1],
]);
const runs = new Map<number, Figures[]>(sizes.map((n) => [n, []]));
/**
 * 1,000 children in the heap of the 100k case: 100 supervisors of 1,000 children each, started
 * one after another, settled, then stopped one after another. A lone 1k run works in a small
 * heap whose caches hold it and whose garbage is collected after the timed window; here each
 * 1k stop pays its share of the GC and works in the same heap as one 100k stop, so the ratio
 * isolates how the supervisor's own cost grows with its number of children.
 */
async function sameHeap(): Promise<{ startCpuMs: number; stopCpuMs: number; stopEachMs: number }> {
  const clients = [];
  await heap();
  const c0 = process.cpuUsage();
  for (let i = 0; i < 100; i++) {
    const s = createActor(
      createSupervisor({ strategy: 'simple_one_for_one' }, [{ id: 'c', start: () => idle }]),
    ).start();
    const c = supervisorClient(s);
    await Promise.all(Array.from({ length: 1_000 }, () => c.startChild([])));
    clients.push(c);
  }
  const startCpuMs = cpuMs(c0);
  await heap();
  const each: number[] = [];
  const c1 = process.cpuUsage();
  for (const c of clients) {
    const ci = process.cpuUsage();
    await c.stop();
    each.push(cpuMs(ci));
  }
  const stopCpuMs = cpuMs(c1);
  await heap();
  return { startCpuMs, stopCpuMs, stopEachMs: median(each) };
}
// The floor: the same children created, started and stopped by hand under a plain parent actor
// (no supervisor, no calls), timed the same way (settled first; CPU time; GC pauses in the stop
// window). Each bare run follows a supervisor run of the same size in the same round, so the two
// see the same machine load and can be paired: XState's own cost per actor grows with the number
// of actors (a larger heap, GC, cache misses), so its ratios are not 100 either.
interface BareFigures {
  readonly startCpuMs: number;
  readonly stopCpuMs: number;
  readonly stopGcMs: number;
  readonly scavengeMs: number;
}
async function bare(n: number): Promise<BareFigures> {
  const parent = createActor(fromCallback(() => () => {})).start();
  const scope = (parent as unknown as { _actorScope: { stopChild(ref: unknown): void } })
    ._actorScope;
  await heap();
  const c0 = process.cpuUsage();
  const refs = [];
  for (let i = 0; i < n; i++) {
    refs.push(createActor(idle, { parent, id: `c-${i}` } as never).start());
  }
  const startCpuMs = cpuMs(c0);
  await heap();
  gcPauses.length = 0;
  const c1 = process.cpuUsage();
  const t1 = performance.now();
  for (const ref of refs) scope.stopChild(ref);
  const t2 = performance.now();
  const stopCpuMs = cpuMs(c1);
  const scavengeMs = scavengeCpuMs();
  parent.stop();
  await heap();
  return { startCpuMs, stopCpuMs, stopGcMs: gcWithin(t1, t2), scavengeMs };
}
const bareRuns = new Map<number, BareFigures[]>([
  [1_000, []],
  [100_000, []],
]);
const sameHeapRuns: Awaited<ReturnType<typeof sameHeap>>[] = [];
for (const n of sizes) await startStop(n); // one warm-up run per size
await bare(1_000);
await bare(100_000);
await sameHeap();
for (let round = 0; round < rounds; round++) {
  for (const n of sizes) {
    for (let r = 0; r < repeats.get(n)!; r++) {
      runs.get(n)!.push(await startStop(n));
      bareRuns.get(n)?.push(await bare(n));
    }
  }
  sameHeapRuns.push(await sameHeap());
}
type Key = 'startMs' | 'stopMs' | 'startCpuMs' | 'stopCpuMs' | 'stopGcMs' | 'scavengeMs' | 'bytes';
const stat = (n: number, key: Key, of: (xs: readonly number[]) => number): number =>
  of(runs.get(n)!.map((f) => f[key]));
const spread = (n: number, key: Key): string => {
  const xs = runs.get(n)!.map((f) => f[key]);
  return `${best(xs).toFixed(1)}–${Math.max(...xs).toFixed(1)}`;
};
const perChild = (ms: number, n: number): string => `${((ms / n) * 1000).toFixed(2)} µs`;
for (const n of sizes) {
  const count = runs.get(n)!.length;
  console.log(
    `${n.toLocaleString('en')} children (${count} runs; best / median, spread in ms):\n` +
      `  start wall ${stat(n, 'startMs', best).toFixed(1)} / ${stat(n, 'startMs', median).toFixed(1)} ms (${spread(n, 'startMs')}), ` +
      `cpu ${stat(n, 'startCpuMs', best).toFixed(1)} / ${stat(n, 'startCpuMs', median).toFixed(1)} ms; ` +
      `${perChild(stat(n, 'startCpuMs', median), n)} cpu per child\n` +
      `  stop  wall ${stat(n, 'stopMs', best).toFixed(2)} / ${stat(n, 'stopMs', median).toFixed(2)} ms (${spread(n, 'stopMs')}), ` +
      `cpu ${stat(n, 'stopCpuMs', best).toFixed(2)} / ${stat(n, 'stopCpuMs', median).toFixed(2)} ms (${spread(n, 'stopCpuMs')}); ` +
      `${perChild(stat(n, 'stopCpuMs', median), n)} cpu per child; GC pauses in the window ${stat(n, 'stopGcMs', median).toFixed(1)} ms (median)\n` +
      `  heap ${(stat(n, 'bytes', median) / n / 1024).toFixed(2)} KiB per child`,
  );
}
// Ratios of 100k to 1k (linear: 100), of the best runs and of the medians, and per round (the
// round's 100k run over the median of that round's 1k runs), whose range is the spread.
const ratio = (key: Key, of: (xs: readonly number[]) => number): number =>
  stat(100_000, key, of) / stat(1_000, key, of);
const perRound = (key: Key): string => {
  const small = runs.get(1_000)!;
  const large = runs.get(100_000)!;
  const each = large.map((f, round) => {
    const mine = small.slice(round * 20, round * 20 + 20).map((g) => g[key]);
    return f[key] / median(mine);
  });
  return `${best(each).toFixed(0)}–${Math.max(...each).toFixed(0)}`;
};
const line = (label: string, key: Key): string =>
  `  ${label}: best ${ratio(key, best).toFixed(0)}, median ${ratio(key, median).toFixed(0)}, per round ${perRound(key)}`;
console.log(
  `100,000 / 1,000 children (linear: 100):\n${line('start wall', 'startMs')}\n${line('start cpu ', 'startCpuMs')}\n` +
    `${line('stop wall ', 'stopMs')}\n${line('stop cpu  ', 'stopCpuMs')}`,
);
// An indication, not a measure: GC pauses are wall time (a preempted pause counts in full) and
// parallel scavenges also use other threads' CPU, so this can over- or under-correct.
const withoutGc = (n: number): number => median(runs.get(n)!.map((f) => f.stopCpuMs - f.stopGcMs));
const ratio10k = (key: Key): number => stat(100_000, key, median) / stat(10_000, key, median);
console.log(
  `  stop cpu without the GC pauses in its window: median ratio ${(withoutGc(100_000) / withoutGc(1_000)).toFixed(0)}; ` +
    `100,000 / 10,000 stop cpu median ratio ${ratio10k('stopCpuMs').toFixed(1)} (linear: 10)`,
);
{
  const large = runs.get(100_000)!;
  const of = (key: 'startCpuMs' | 'stopCpuMs', pick: (xs: readonly number[]) => number) =>
    pick(large.map((f) => f[key])) / pick(sameHeapRuns.map((f) => f[key] / 100));
  const each = (key: 'startCpuMs' | 'stopCpuMs') => {
    const xs = large.map((f, round) => f[key] / (sameHeapRuns[round]![key] / 100));
    return `${best(xs).toFixed(0)}–${Math.max(...xs).toFixed(0)}`;
  };
  const totals = (key: 'startCpuMs' | 'stopCpuMs') =>
    sameHeapRuns.map((f) => f[key].toFixed(0)).join('/');
  console.log(
    `100 supervisors of 1,000 children (the 100k heap, GC included), cpu of all 100 per round: ` +
      `start ${totals('startCpuMs')} ms, stop ${totals('stopCpuMs')} ms ` +
      `(one 1k stop: median ${median(sameHeapRuns.map((f) => f.stopEachMs)).toFixed(2)} ms)\n` +
      `  100,000 / 1,000 in the same heap (linear: 100): start best ${of('startCpuMs', best).toFixed(0)}, ` +
      `median ${of('startCpuMs', median).toFixed(0)}, per round ${each('startCpuMs')}; ` +
      `stop best ${of('stopCpuMs', best).toFixed(0)}, median ${of('stopCpuMs', median).toFixed(0)}, per round ${each('stopCpuMs')}`,
  );
}
const sameHeapRatio = (key: 'startCpuMs' | 'stopCpuMs', pick: (xs: readonly number[]) => number) =>
  stat(100_000, key, pick) / pick(sameHeapRuns.map((f) => f[key] / 100));
const bareStat = (
  n: number,
  key: keyof BareFigures,
  of: (xs: readonly number[]) => number,
): number => of(bareRuns.get(n)!.map((f) => f[key]));
const bareRatio = (key: 'startCpuMs' | 'stopCpuMs', of: (xs: readonly number[]) => number) =>
  (bareStat(100_000, key, of) / bareStat(1_000, key, of)).toFixed(0);
console.log(
  `bare XState (createActor + start / stop under a plain parent), cpu best / median: ` +
    `1,000 ${bareStat(1_000, 'startCpuMs', best).toFixed(2)} / ${bareStat(1_000, 'startCpuMs', median).toFixed(2)} start, ` +
    `${bareStat(1_000, 'stopCpuMs', best).toFixed(2)} / ${bareStat(1_000, 'stopCpuMs', median).toFixed(2)} stop ms; ` +
    `100,000 ${bareStat(100_000, 'startCpuMs', best).toFixed(0)} / ${bareStat(100_000, 'startCpuMs', median).toFixed(0)} start, ` +
    `${bareStat(100_000, 'stopCpuMs', best).toFixed(0)} / ${bareStat(100_000, 'stopCpuMs', median).toFixed(0)} stop ms; ` +
    `ratios start ${bareRatio('startCpuMs', best)} / ${bareRatio('startCpuMs', median)}, stop ${bareRatio('stopCpuMs', best)} / ${bareRatio('stopCpuMs', median)}`,
);
// What the supervisor adds to XState's own stop, paired run by run (each supervisor run minus the
// bare run after it, same size, same round). An indication, not a goal: a small difference of
// two noisy figures (at 1k about 0.1–0.3 ms out of 1–2 ms), so its ratio swings widely between
// bench runs; what it shows is how little of each stop is the supervisor's.
const own = (n: number): number[] =>
  runs
    .get(n)!
    .map((f, i) => f.stopCpuMs - bareRuns.get(n)![i]!.stopCpuMs)
    .filter((ms) => Number.isFinite(ms));
const ownRatio = median(own(100_000)) / median(own(1_000));
const xstateShare =
  median(bareRuns.get(100_000)!.map((f) => f.stopCpuMs)) / stat(100_000, 'stopCpuMs', median);
console.log(
  `  bare stop: GC pauses in the window ${bareStat(1_000, 'stopGcMs', median).toFixed(1)} / ${bareStat(100_000, 'stopGcMs', median).toFixed(1)} ms (1,000 / 100,000, medians); ` +
    `XState's own stop is ${(xstateShare * 100).toFixed(0)} % of the supervisor's 100,000 stop (medians)\n` +
    `  the supervisor's own stop cost (supervisor run minus the bare run after it, medians of the pairs): ` +
    `1,000 ${perChild(median(own(1_000)), 1_000)}, 100,000 ${perChild(median(own(100_000)), 100_000)} cpu per child; ` +
    `ratio ${ownRatio.toFixed(0)} (linear: 100)`,
);
{
  // Each size charged for collecting its own garbage: the stop plus the scavenge right after it.
  const closed = (xs: readonly { stopCpuMs: number; scavengeMs: number }[]): number[] =>
    xs.map((f) => f.stopCpuMs + f.scavengeMs);
  const ratios = (of: (xs: readonly number[]) => number, pick: (n: number) => number[]): string =>
    (of(pick(100_000)) / of(pick(1_000))).toFixed(0);
  const sup = (n: number): number[] => closed(runs.get(n)!);
  const xs = (n: number): number[] => closed(bareRuns.get(n)!);
  console.log(
    `  stop cpu + the scavenge after it (each size collects its own garbage), 100,000 / 1,000: ` +
      `supervisor best ${ratios(best, sup)}, median ${ratios(median, sup)}; bare XState best ${ratios(best, xs)}, median ${ratios(median, xs)} ` +
      `(the scavenge: ${stat(1_000, 'scavengeMs', median).toFixed(2)} / ${stat(100_000, 'scavengeMs', median).toFixed(1)} ms, medians)`,
  );
}
// Goals on CPU time (wall time on a shared machine measures the other processes too), for the
// median and for the best runs: a goal met by one and not the other is noise, and says so.
const verdict = (bestMet: boolean, medianMet: boolean): string =>
  bestMet && medianMet ? 'PASS' : bestMet || medianMet ? 'NOISE' : 'FAIL';
const goals = [
  [
    '100,000 children start < 2 s (wall)',
    stat(100_000, 'startMs', best) < 2_000,
    stat(100_000, 'startMs', median) < 2_000,
  ],
  [
    '100,000 children stop < 2 s (wall)',
    stat(100_000, 'stopMs', best) < 2_000,
    stat(100_000, 'stopMs', median) < 2_000,
  ],
  [
    'start ratio < 150 (cpu, 1k alone)',
    ratio('startCpuMs', best) < 150,
    ratio('startCpuMs', median) < 150,
  ],
  [
    'stop ratio < 150 (cpu, 1k alone)',
    ratio('stopCpuMs', best) < 150,
    ratio('stopCpuMs', median) < 150,
  ],
  [
    'start ratio < 150 (cpu, 1k in the same heap)',
    sameHeapRatio('startCpuMs', best) < 150,
    sameHeapRatio('startCpuMs', median) < 150,
  ],
  [
    'stop ratio < 150 (cpu, 1k in the same heap)',
    sameHeapRatio('stopCpuMs', best) < 150,
    sameHeapRatio('stopCpuMs', median) < 150,
  ],
] as const;
for (const [goal, b, m] of goals) {
  console.log(
    `${verdict(b, m)} ${goal} (best runs: ${b ? 'met' : 'not met'}, medians: ${m ? 'met' : 'not met'})`,
  );
}

// Children with a timer pending each.
const timed = createMachine({
  initial: 'waiting',
  states: { waiting: { after: { 600000: 'done' } }, done: {} },
});
async function stopTimed(n: number): Promise<number> {
  const s = createActor(
    createSupervisor({ strategy: 'simple_one_for_one' }, [
      { id: 't', start: () => timed, shutdown: 'brutal_kill' },
    ]),
  ).start();
  const c = supervisorClient(s);
  await Promise.all(Array.from({ length: n }, () => c.startChild([])));
  await heap();
  const c0 = process.cpuUsage();
  await c.stop();
  return cpuMs(c0);
}
// Best of 3 CPU times, after a warm-up run of each size.
const timedStop: number[] = [];
for (const n of [1_000, 20_000]) {
  await stopTimed(n);
  const xs: number[] = [];
  for (let r = 0; r < 3; r++) xs.push(await stopTimed(n));
  timedStop.push(best(xs));
}
console.log(
  `stop 1,000 / 20,000 children with a timer each (cpu, best of 3): ${timedStop.map((ms) => ms.toFixed(0)).join(' / ')} ms ` +
    `(ratio ${(timedStop[1]! / timedStop[0]!).toFixed(0)}, linear: 20)`,
);
