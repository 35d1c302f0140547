/**
 * What the run journal costs:
 *
 * 1. one task transition (a task's row replaced and a log entry appended), in µs of wall and
 *    CPU time: SQLite file one transition per transaction (`recordTask`), SQLite in batches
 *    as the task queue writes them (`recordTasks`, one transaction per turn of the event
 *    loop), the same fenced (each batch checks the writer's lease token, as the task queue's
 *    writes do), and memory;
 * 2. a run of 1,000 tiny tasks through `runTaskQueue` with a fake CLI (the real runtime,
 *    query actors and workers; an in-process fake CLI that answers after a timer), without a
 *    store (the in-memory queue), with the memory store and with the SQLite store. The three
 *    arms run interleaved, round after round, so a busier moment of a shared machine falls on
 *    each alike; each arm's overhead is taken against the no-store run of the same round
 *    (paired), then the median (and the best) over the rounds. Reported: wall and CPU time,
 *    the journal's CPU per task (the CPU the arm used more than its no-store pair) and the
 *    time spent inside journal calls, both as a share of the run's wall time (goal < 2 %);
 *    the batches the queue wrote (transitions per transaction), and the CPU in journal calls
 *    per method. `process.cpuUsage()` is the whole process's CPU (Node 20 has no per-thread
 *    figure): GC and compiler threads busy during a call are counted in; run the bench under
 *    `node --single-threaded --import tsx bench/journal.ts` to keep them out;
 * 3. the SQLite file per 1,000 tasks.
 *
 *   npm run bench:journal
 *   npm run bench:journal -- --tasks 1000 --delay 20 --output-bytes 500 --rounds 5
 */
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import type { PlanInput } from '../src/orchestration/plan/plan-schema.js';
import { currentRunOwner } from '../src/orchestration/task-queue/current-run-owner.js';
import { runTaskQueue } from '../src/orchestration/task-queue/run-task-queue.js';
import { createRuntime } from '../src/runtime/create-runtime.js';
import { createMemoryStore } from '../src/store/create-memory-store.js';
import { openSqliteStore } from '../src/store/open-sqlite-store.js';
import { PENDING_TASK, type TaskSnapshot } from '../src/store/runs/task-record.js';
import type { TaskWrite } from '../src/store/runs/task-write.js';
import type { Store } from '../src/store/store.js';
import { scriptedSpawn } from '../test/helpers/scripted-spawn.js';

const { values } = parseArgs({
  options: {
    transitions: { type: 'string', default: '20000' },
    /** Transitions per transaction in the batched arm of part 1. */
    batch: { type: 'string', default: '12' },
    tasks: { type: 'string', default: '1000' },
    workers: { type: 'string', default: '8' },
    /** How long the fake CLI takes to answer each task, ms. */
    delay: { type: 'string', default: '20' },
    'output-bytes': { type: 'string', default: '500' },
    rounds: { type: 'string', default: '5' },
  },
});
const transitions = Number(values.transitions);
const batchSize = Number(values.batch);
const taskCount = Number(values.tasks);
const workers = Number(values.workers);
const delayMs = Number(values.delay);
const outputBytes = Number(values['output-bytes']);
const rounds = Number(values.rounds);
const dir = mkdtempSync(join(tmpdir(), 'ca-bench-journal-'));
const median = (xs: readonly number[]): number =>
  [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const min = (xs: readonly number[]): number => Math.min(...xs);
const output = (id: string): string => `${id}: ${'the bridge holds. '.repeat(outputBytes / 18)}`;
const cpuMs = (since: NodeJS.CpuUsage): number => {
  const used = process.cpuUsage(since);
  return (used.user + used.system) / 1000;
};

const LEASE_TOKEN = 'bench-lease';

// 1. One transition, straight on the journal: 4 transitions per task, as a run writes them.
async function transitionMicros(
  store: Store,
  perTransaction: number,
  fenced = false,
): Promise<{ wall: number; cpu: number }> {
  const ids = Array.from({ length: taskCount }, (_, i) => `t${i}`);
  await store.runs.createRun(
    {
      runId: 'bench',
      planKey: 'bench',
      planName: 'bench',
      planHash: 'h',
      at: 0,
      options: {},
      tasks: ids.map((taskId) => ({ taskId, hash: 'h' })),
    },
    fenced
      ? { token: LEASE_TOKEN, owner: currentRunOwner(), at: 0, expiresAt: Number.MAX_SAFE_INTEGER }
      : undefined,
  );
  const token = fenced ? LEASE_TOKEN : undefined;
  const events = ['queued', 'started', 'session', 'succeeded'] as const;
  const write = (n: number): TaskWrite => {
    const event = events[n % 4]!;
    const snapshot: TaskSnapshot = {
      ...PENDING_TASK,
      status: event === 'succeeded' ? 'succeeded' : event === 'queued' ? 'queued' : 'running',
      attempts: 1,
      queryId: `q-${n}`,
      sessionId: event === 'queued' ? undefined : `s-${n}`,
      costUsd: 0.001,
      usage:
        event === 'succeeded'
          ? {
              inputTokens: 10,
              outputTokens: 5,
              cacheReadInputTokens: 0,
              cacheCreationInputTokens: 0,
            }
          : undefined,
      output: event === 'succeeded' ? output(`t${n}`) : undefined,
    };
    return { taskId: ids[Math.floor(n / 4) % ids.length]!, event, snapshot, at: n };
  };
  const cpu = process.cpuUsage();
  const started = performance.now();
  for (let n = 0; n < transitions; n += perTransaction) {
    if (perTransaction === 1) {
      const { taskId, event, snapshot, at } = write(n);
      await store.runs.recordTask('bench', taskId, event, snapshot, at, token);
    } else {
      const count = Math.min(perTransaction, transitions - n);
      await store.runs.recordTasks(
        'bench',
        Array.from({ length: count }, (_, k) => write(n + k)),
        token,
      );
    }
  }
  const wall = ((performance.now() - started) * 1000) / transitions;
  const cpuUs = (cpuMs(cpu) * 1000) / transitions;
  await store.close();
  return { wall, cpu: cpuUs };
}
const single = await transitionMicros(openSqliteStore(join(dir, 'single.db')), 1);
const batched = await transitionMicros(openSqliteStore(join(dir, 'batched.db')), batchSize);
const fencedBatched = await transitionMicros(
  openSqliteStore(join(dir, 'fenced.db')),
  batchSize,
  true,
);
const memoryMicros = await transitionMicros(createMemoryStore(), batchSize);

// 2. A run of tiny tasks: 8 chains interleaved (task i waits for task i-8), so the queue
// schedules dependents as it goes.
const plan: PlanInput = {
  name: 'bench-journal',
  tasks: Array.from({ length: taskCount }, (_, i) => ({
    id: `t${i}`,
    prompt: `task ${i}`,
    ...(i >= 8 ? { dependsOn: [`t${i - 8}`] } : {}),
  })),
};
type Mode = 'none' | 'memory' | 'sqlite';
const MODES: readonly Mode[] = ['none', 'memory', 'sqlite'];

interface Spent {
  /** Wall time inside journal calls, ms (the SQLite backend works before it returns). */
  ms: number;
  /** CPU time inside journal calls, ms: free of the time the machine gave to others. */
  cpuMs: number;
  batches: number;
  writes: number;
  /** CPU ms inside each journal method. */
  byMethod: Record<string, number>;
}

/** `store` with the time spent inside its journal calls, and its batches, counted. */
function timed(store: Store, spent: Spent): Store {
  const runs = new Proxy(store.runs, {
    get(target, name, receiver) {
      const value = Reflect.get(target, name, receiver);
      if (typeof value !== 'function') return value;
      return (...args: unknown[]) => {
        if (name === 'recordTasks') {
          spent.batches += 1;
          spent.writes += (args[1] as readonly TaskWrite[]).length;
        }
        const cpu = process.cpuUsage();
        const started = performance.now();
        try {
          return value.apply(target, args);
        } finally {
          const used = cpuMs(cpu);
          spent.ms += performance.now() - started;
          spent.cpuMs += used;
          spent.byMethod[String(name)] = (spent.byMethod[String(name)] ?? 0) + used;
        }
      };
    },
  });
  return { ...store, runs, close: () => store.close() };
}

interface RunFigures {
  readonly ms: number;
  readonly cpuMs: number;
  readonly bytes: number;
  readonly spent: Spent;
}

async function runOnce(mode: Mode, round: number): Promise<RunFigures> {
  // The answer names the task (the prompt's first line), not the context of its dependency.
  const { spawn } = scriptedSpawn((prompt) => ({ delayMs, text: output(prompt.split('\n')[0]!) }));
  const runtime = createRuntime({
    defaults: { executable: process.execPath, retry: { maxAttempts: 1 } },
    limiter: { maxConcurrent: workers },
    processes: { spawn },
  });
  const file = join(dir, `run-${mode}-${round}.db`);
  const spent: Spent = { ms: 0, cpuMs: 0, batches: 0, writes: 0, byMethod: {} };
  const opened =
    mode === 'sqlite' ? openSqliteStore(file) : mode === 'memory' ? createMemoryStore() : undefined;
  const store = opened && timed(opened, spent);
  const cpu = process.cpuUsage();
  const started = performance.now();
  const summary = await runTaskQueue(runtime, plan, {
    workers,
    runId: `bench-${mode}-${round}`,
    ...(store ? { store } : {}),
  }).result;
  const ms = performance.now() - started;
  const used = cpuMs(cpu);
  if (summary.counts.succeeded !== taskCount) {
    throw new Error(`${mode}: only ${summary.counts.succeeded} of ${taskCount} tasks succeeded`);
  }
  await runtime.stop();
  await store?.close();
  // Closing the last connection checkpoints the WAL into the file and removes it.
  const bytes = mode === 'sqlite' ? statSync(file).size : 0;
  if (mode === 'sqlite') rmSync(file, { force: true });
  return { ms, cpuMs: used, bytes, spent };
}

const figures: Record<Mode, RunFigures[]> = { none: [], memory: [], sqlite: [] };
await runOnce('none', -1); // warm-up: JIT, module loading
await runOnce('sqlite', -1);
for (let round = 0; round < rounds; round++) {
  // Interleaved, the order turning each round, so no arm always follows the same one.
  for (let k = 0; k < MODES.length; k++) {
    const mode = MODES[(k + round) % MODES.length]!;
    figures[mode].push(await runOnce(mode, round));
  }
}
rmSync(dir, { recursive: true, force: true });

const percent = (ratio: number): string => `${(ratio * 100).toFixed(2)} %`;
console.log(
  `journal transition (row + log entry), ${transitions} transitions over ${taskCount} tasks:`,
);
console.log('| store | wall per transition | CPU per transition |');
console.log('| --- | ---: | ---: |');
for (const [name, m] of [
  ['SQLite file (WAL, synchronous=NORMAL), 1 per transaction', single],
  [`SQLite file, ${batchSize} per transaction`, batched],
  [`SQLite file, ${batchSize} per transaction, fenced (lease token checked)`, fencedBatched],
  ['memory', memoryMicros],
] as const) {
  console.log(`| ${name} | ${m.wall.toFixed(1)} µs | ${m.cpu.toFixed(1)} µs |`);
}
console.log('');

const none = figures.none;
/** Per round: the arm's figure against the no-store run of the same round. */
const paired = (mode: Mode, of: (run: RunFigures, pair: RunFigures) => number): number[] =>
  figures[mode].map((run, round) => of(run, none[round]!));
const spread = (xs: readonly number[]): string =>
  `${percent(min(xs))} … ${percent(Math.max(...xs))}`;
console.log(
  `${taskCount} tiny tasks (fake CLI answering after ${delayMs} ms, ${outputBytes} B outputs), ` +
    `${workers} workers, ${rounds} interleaved rounds (median, best in brackets):`,
);
console.log(
  '| journal | wall time | wall vs no journal | CPU time | CPU vs no journal | ' +
    'CPU in journal calls | per task | share of wall | wall in journal calls | ' +
    'transitions per transaction |',
);
console.log('| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |');
const verdicts: string[] = [];
let goalMet = true;
for (const mode of MODES) {
  const runs = figures[mode];
  const walls = runs.map((r) => r.ms);
  const cpus = runs.map((r) => r.cpuMs);
  const name = { none: 'none (in-memory queue)', memory: 'memory store', sqlite: 'SQLite file' }[
    mode
  ];
  const wall = `${median(walls).toFixed(0)} ms (${min(walls).toFixed(0)})`;
  const cpu = `${median(cpus).toFixed(0)} ms (${min(cpus).toFixed(0)})`;
  if (mode === 'none') {
    console.log(`| ${name} | ${wall} |  | ${cpu} |  |  |  |  |  |  |`);
    continue;
  }
  const wallRatio = paired(mode, (r, p) => r.ms / p.ms - 1);
  const cpuRatio = paired(mode, (r, p) => r.cpuMs / p.cpuMs - 1);
  const bestWall = min(walls) / min(none.map((r) => r.ms)) - 1;
  const bestCpu = min(cpus) / min(none.map((r) => r.cpuMs)) - 1;
  const callCpu = runs.map((r) => r.spent.cpuMs);
  const callShare = runs.map((r) => r.spent.cpuMs / r.ms);
  const callWallShare = runs.map((r) => r.spent.ms / r.ms);
  const perBatch = runs.map((r) => r.spent.writes / Math.max(1, r.spent.batches));
  console.log(
    `| ${name} | ${wall} | ${percent(median(wallRatio))} (${percent(bestWall)}) | ${cpu} | ` +
      `${percent(median(cpuRatio))} (${percent(bestCpu)}) | ${median(callCpu).toFixed(0)} ms | ` +
      `${((median(callCpu) * 1000) / taskCount).toFixed(0)} µs | ${percent(median(callShare))} | ` +
      `${percent(median(callWallShare))} | ${median(perBatch).toFixed(1)} |`,
  );
  goalMet &&= median(callShare) < 0.02;
  verdicts.push(
    `${name}: the journal's CPU ${percent(median(callShare))} of the run's wall time ` +
      `(rounds ${spread(callShare)}); wall time vs no journal ${percent(median(wallRatio))} ` +
      `paired median (rounds ${spread(wallRatio)}), best run vs best run ${percent(bestWall)}`,
  );
}
console.log('');
const bytes = median(figures.sqlite.map((r) => r.bytes));
console.log(
  `SQLite store per ${taskCount} tasks: ${(bytes / 1024).toFixed(0)} KiB ` +
    `(${(bytes / taskCount).toFixed(0)} B per task, 5 log entries and an output of ` +
    `${outputBytes} B each)`,
);
for (const line of verdicts) console.log(line);
for (const mode of ['memory', 'sqlite'] as const) {
  const methods = new Set(figures[mode].flatMap((r) => Object.keys(r.spent.byMethod)));
  const parts = [...methods]
    .map((m) => [m, median(figures[mode].map((r) => r.spent.byMethod[m] ?? 0))] as const)
    .sort((a, b) => b[1] - a[1])
    .map(([m, ms]) => `${m} ${((ms * 1000) / taskCount).toFixed(0)} µs`);
  console.log(`${mode}: CPU in journal calls per task, by method: ${parts.join(', ')}`);
}
const sqliteCallMsPerTask = median(figures.sqlite.map((r) => r.spent.cpuMs)) / taskCount;
console.log(
  `goal (journal < 2 % of wall time, both stores): ${goalMet ? 'met' : 'NOT met'} by the CPU ` +
    `spent in journal calls; the SQLite journal would take 2 % of tasks of ` +
    `${((sqliteCallMsPerTask * workers) / 0.02).toFixed(1)} ms with ${workers} workers. ` +
    'Wall and whole-process CPU ratios are the noisiest figures on a shared machine: read ' +
    'them with their spread.',
);
