/**
 * What the run journal costs:
 *
 * 1. one task transition (`store.runs.recordTask`: the task's row replaced and a log entry
 *    appended, one transaction), in µs, SQLite file vs memory;
 * 2. a run of 1,000 tiny tasks through `runTaskQueue` with a fake CLI (the real runtime, query
 *    actors and workers; no process), without a store, with the memory store and with the
 *    SQLite store: wall and CPU time, the time spent inside journal calls, the journal's CPU
 *    per task and its share of the wall time (goal < 2 %), and the task length from which
 *    the goal is met;
 * 3. the SQLite file per 1,000 tasks.
 *
 *   npm run bench:journal
 *   npm run bench:journal -- --tasks 1000 --delay 20 --output-bytes 500 --rounds 3
 */
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import type { PlanInput } from '../src/orchestration/plan/plan-schema.js';
import { runTaskQueue } from '../src/orchestration/task-queue/run-task-queue.js';
import { createRuntime } from '../src/runtime/create-runtime.js';
import { createMemoryStore } from '../src/store/create-memory-store.js';
import { openSqliteStore } from '../src/store/open-sqlite-store.js';
import { PENDING_TASK, type TaskSnapshot } from '../src/store/runs/task-record.js';
import type { Store } from '../src/store/store.js';
import { scriptedSpawn } from '../test/helpers/scripted-spawn.js';

const { values } = parseArgs({
  options: {
    transitions: { type: 'string', default: '20000' },
    tasks: { type: 'string', default: '1000' },
    workers: { type: 'string', default: '8' },
    /** How long the fake CLI takes to answer each task, ms. */
    delay: { type: 'string', default: '20' },
    'output-bytes': { type: 'string', default: '500' },
    rounds: { type: 'string', default: '3' },
  },
});
const transitions = Number(values.transitions);
const taskCount = Number(values.tasks);
const workers = Number(values.workers);
const delayMs = Number(values.delay);
const outputBytes = Number(values['output-bytes']);
const rounds = Number(values.rounds);
const dir = mkdtempSync(join(tmpdir(), 'ca-bench-journal-'));
const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const output = (id: string): string => `${id}: ${'the bridge holds. '.repeat(outputBytes / 18)}`;

// 1. One transition, straight on the journal.
async function transitionMicros(store: Store): Promise<{ wall: number; cpu: number }> {
  const ids = Array.from({ length: 100 }, (_, i) => `t${i}`);
  await store.runs.createRun({
    runId: 'bench',
    planKey: 'bench',
    planName: 'bench',
    planHash: 'h',
    at: 0,
    options: {},
    tasks: ids.map((taskId) => ({ taskId, hash: 'h' })),
  });
  const events = ['queued', 'started', 'session', 'succeeded'] as const;
  const cpu = process.cpuUsage();
  const started = performance.now();
  for (let n = 0; n < transitions; n++) {
    const event = events[n % 4]!;
    const snapshot: TaskSnapshot = {
      ...PENDING_TASK,
      status: event === 'succeeded' ? 'succeeded' : event === 'queued' ? 'queued' : 'running',
      attempts: 1,
      queryId: `q-${n}`,
      sessionId: event === 'queued' ? undefined : `s-${n}`,
      costUsd: 0.001,
      output: event === 'succeeded' ? output(`t${n}`) : undefined,
    };
    await store.runs.recordTask('bench', ids[Math.floor(n / 4) % ids.length]!, event, snapshot, n);
  }
  const wall = ((performance.now() - started) * 1000) / transitions;
  const used = process.cpuUsage(cpu);
  await store.close();
  return { wall, cpu: (used.user + used.system) / transitions };
}
const sqliteMicros = await transitionMicros(openSqliteStore(join(dir, 'transitions.db')));
const memoryMicros = await transitionMicros(createMemoryStore());

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

/**
 * `store` with the time spent inside its journal calls added up in `spent.ms`: the SQLite
 * backend does its work synchronously before the returned promise, so this is the journal's
 * own cost, free of the scheduling noise of a shared machine.
 */
function timed(store: Store, spent: { ms: number }): Store {
  const runs = new Proxy(store.runs, {
    get(target, name, receiver) {
      const value = Reflect.get(target, name, receiver);
      if (typeof value !== 'function') return value;
      return (...args: unknown[]) => {
        const started = performance.now();
        try {
          return value.apply(target, args);
        } finally {
          spent.ms += performance.now() - started;
        }
      };
    },
  });
  return { ...store, runs, close: () => store.close() };
}

async function runOnce(
  mode: Mode,
  round: number,
): Promise<{ ms: number; cpuMs: number; bytes: number; journalMs: number }> {
  // The answer names the task (the prompt's first line), not the context of its dependency.
  const { spawn } = scriptedSpawn((prompt) => ({ delayMs, text: output(prompt.split('\n')[0]!) }));
  const runtime = createRuntime({
    defaults: { executable: process.execPath, retry: { maxAttempts: 1 } },
    limiter: { maxConcurrent: workers },
    processes: { spawn },
  });
  const file = join(dir, `run-${mode}-${round}.db`);
  const spent = { ms: 0 };
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
  const used = process.cpuUsage(cpu);
  if (summary.counts.succeeded !== taskCount) {
    throw new Error(`${mode}: only ${summary.counts.succeeded} of ${taskCount} tasks succeeded`);
  }
  await runtime.stop();
  await store?.close();
  // Closing the last connection checkpoints the WAL into the file and removes it.
  return {
    ms,
    cpuMs: (used.user + used.system) / 1000,
    bytes: mode === 'sqlite' ? statSync(file).size : 0,
    journalMs: spent.ms,
  };
}
const times: Record<Mode, number[]> = { none: [], memory: [], sqlite: [] };
const journalShares: Record<Mode, number[]> = { none: [], memory: [], sqlite: [] };
const cpuTimes: Record<Mode, number[]> = { none: [], memory: [], sqlite: [] };
let bytes = 0;
await runOnce('none', -1); // warm-up: JIT, module loading
for (let round = 0; round < rounds; round++) {
  // Interleaved, so a slower moment of a shared machine falls on every mode alike.
  for (const mode of ['none', 'memory', 'sqlite'] as const) {
    const run = await runOnce(mode, round);
    times[mode].push(run.ms);
    journalShares[mode].push(run.journalMs / run.ms);
    cpuTimes[mode].push(run.cpuMs);
    if (mode === 'sqlite') bytes = run.bytes;
  }
}
rmSync(dir, { recursive: true, force: true });

const none = median(times.none);
const percent = (ratio: number): string => `${(ratio * 100).toFixed(2)} %`;
console.log(`journal transition (row + log entry, one transaction), ${transitions} transitions:`);
console.log('| store | wall per transition | CPU per transition |');
console.log('| --- | ---: | ---: |');
for (const [name, m] of [
  ['SQLite file (WAL, synchronous=NORMAL)', sqliteMicros],
  ['memory', memoryMicros],
] as const) {
  console.log(`| ${name} | ${m.wall.toFixed(1)} µs | ${m.cpu.toFixed(1)} µs |`);
}
console.log('');
console.log(
  `${taskCount} tiny tasks (fake CLI answering after ${delayMs} ms, ${outputBytes} B outputs), ` +
    `${workers} workers, median of ${rounds} interleaved rounds:`,
);
console.log(
  '| journal | wall time | vs no journal | CPU time | vs no journal | time in journal calls |',
);
console.log('| --- | ---: | ---: | ---: | ---: | ---: |');
const cpuNone = median(cpuTimes.none);
for (const mode of ['none', 'memory', 'sqlite'] as const) {
  const name = { none: 'none (in-memory queue)', memory: 'memory store', sqlite: 'SQLite file' }[
    mode
  ];
  const wall = median(times[mode]);
  const cpu = median(cpuTimes[mode]);
  const vsWall = mode === 'none' ? '' : percent((wall - none) / none);
  const vsCpu = mode === 'none' ? '' : percent((cpu - cpuNone) / cpuNone);
  const inCalls = mode === 'none' ? '' : percent(median(journalShares[mode]));
  console.log(
    `| ${name} | ${wall.toFixed(0)} ms | ${vsWall} | ${cpu.toFixed(0)} ms | ${vsCpu} | ${inCalls} |`,
  );
}
console.log('');
console.log(
  `SQLite store per ${taskCount} tasks: ${(bytes / 1024).toFixed(0)} KiB ` +
    `(${(bytes / taskCount).toFixed(0)} B per task, outputs of ${outputBytes} B included)`,
);
const sqliteWall = median(times.sqlite);
// The journal runs on the host's one thread: its CPU per task, against each worker's slot.
const journalCpuPerTaskMs = Math.max(0, median(cpuTimes.sqlite) - cpuNone) / taskCount;
const shareOfWall = (journalCpuPerTaskMs * taskCount) / sqliteWall;
const breakEvenMs = (journalCpuPerTaskMs * workers) / 0.02;
console.log(
  `SQLite journal: ${(journalCpuPerTaskMs * 1000).toFixed(0)} µs of CPU per task ` +
    `(${percent(shareOfWall)} of this run's wall time; wall time vs no journal ` +
    `${percent((sqliteWall - none) / none)}, noisy on a shared machine)`,
);
console.log(
  `goal (< 2 % of wall time): ${shareOfWall < 0.02 ? 'met' : 'NOT met'} for these tasks; met ` +
    `for tasks of ${breakEvenMs.toFixed(0)} ms or more with ${workers} workers`,
);
