import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { loadPlan } from '../../src/orchestration/plan/load-plan.js';
import { runTaskQueue } from '../../src/orchestration/task-queue/run-task-queue.js';
import { createRuntime } from '../../src/runtime/create-runtime.js';
import { openSqliteStore } from '../../src/store/open-sqlite-store.js';
import type { TaskRecord } from '../../src/store/runs/task-record.js';
import { text } from '../../src/testing/builders.js';
import type { SimRequest } from '../../src/testing/sim-request.js';
import { type BundledFixture, bundleFixture } from '../helpers/bundle-fixture.js';
import { eventually, useSimulator } from '../helpers/integration.js';
import { type KillableChild, startChild } from '../helpers/killable-child.js';
import { processesWithEnv } from '../helpers/processes-with-env.js';
import { type SeededRandom, seededRandom, seedFromEnv } from '../helpers/seeded-random.js';

// Issue 12's proof of durable runs: a host running a 12-task DAG with the SQLite journal is
// SIGKILLed at >= 20 seeded random points (KILL_SEED=<n> replays a sequence, KILLS=<n> changes
// the count, REPORT_TIMINGS=1 prints each life) and started again with `resume` until the run
// ends; the run must end exactly as one uninterrupted run of the same plan did.
const sim = useSimulator();
const hostFixture = fileURLToPath(new URL('../fixtures/durable/run-plan-host.ts', import.meta.url));
const planPath = fileURLToPath(new URL('../fixtures/durable/dag-12.yaml', import.meta.url));

/** Kills planned (`KILLS` in the environment); the run must last at least {@link MIN_KILLS}. */
const KILLS = Number(process.env.KILLS ?? 21);
const MIN_KILLS = 20;
const RUN_ID = 'durable';
/** Latency of every reply: the window a kill falls in mid-request. */
const REPLY = { ttftMs: 250, chunkDelayMs: 40, chunkSize: 16 } as const;
/** Each task's answer: a fixed text per task (its prompt is checked separately). */
const outputOf = (taskId: string): string => `OUT[${taskId}] the ${taskId} part, settled.`;

/** Where a kill falls; see `killPoint`. */
type KillKind = 'at-ready' | 'mid-request' | 'task-end' | 'between' | 'any-time';
/** Kinds after which no task of the host's life has ended. */
const NO_PROGRESS: readonly KillKind[] = ['at-ready', 'mid-request', 'mid-request'];
/** Kinds after which some task of the host's life has (or may have) ended. */
const PROGRESS: readonly KillKind[] = ['task-end', 'task-end', 'between', 'any-time'];

/** The task an API request belongs to: the `[task:<id>]` its conversation starts with. */
function taskOf(request: SimRequest): string | undefined {
  const own = /^\[task:([A-Za-z0-9_-]+)\]/.exec(request.prompt);
  if (own) return own[1];
  // A resumed conversation: the task's prompt is in an earlier user message.
  const messages = (request.body as { messages?: unknown }).messages;
  return /\[task:([A-Za-z0-9_-]+)\]/.exec(JSON.stringify(messages ?? []))?.[1];
}

function requestsByTask(requests: readonly SimRequest[]): Map<string, number> {
  const counts = new Map<string, number>();
  for (const request of requests) {
    const taskId = taskOf(request) ?? '(none)';
    counts.set(taskId, (counts.get(taskId) ?? 0) + 1);
  }
  return counts;
}

function answerEveryTask(taskIds: readonly string[]): void {
  for (const taskId of taskIds) {
    sim.env.simulator.on((request) => taskOf(request) === taskId, text(outputOf(taskId), REPLY));
  }
}

async function readJournal(storePath: string): Promise<TaskRecord[]> {
  const store = openSqliteStore(storePath);
  try {
    return await store.runs.tasks(RUN_ID);
  } finally {
    await store.close();
  }
}

/** The report files of a run folder: `report.json` parsed, and each `tasks/<id>.md`. */
function readReport(dir: string): { report: Record<string, unknown>; files: Map<string, string> } {
  const report = JSON.parse(readFileSync(join(dir, 'report.json'), 'utf8'));
  const files = new Map(
    readdirSync(join(dir, 'tasks')).map((name) => [
      name,
      readFileSync(join(dir, 'tasks', name), 'utf8'),
    ]),
  );
  return { report, files };
}

async function until(predicate: () => boolean, signal: AbortSignal): Promise<void> {
  while (!predicate()) await sleep(10, undefined, { signal });
}

/**
 * Waits for the kill point of one host's life: `at-ready` just after the host opened its store
 * (before it starts any task), `mid-request` while the API answers the first request of this
 * life, `task-end` at once when a task ends, `between` a little after it, `any-time` at a time
 * after the start.
 */
async function killPoint(
  kind: KillKind,
  host: KillableChild,
  requestsAtStart: number,
  random: SeededRandom,
  signal: AbortSignal,
): Promise<string> {
  const ready = (): boolean => host.lines.includes('ready');
  const ended = (): number =>
    host.lines.filter((l) => l.startsWith('event task.succeeded ')).length;
  switch (kind) {
    case 'at-ready': {
      const ms = random.int(0, 40);
      await until(ready, signal);
      await sleep(ms, undefined, { signal });
      return `${ms} ms after ready`;
    }
    case 'mid-request': {
      // Under the reply's time to first token plus its stream: no task ends before.
      const ms = random.int(0, REPLY.ttftMs + 50);
      await until(() => sim.env.simulator.requests.length > requestsAtStart, signal);
      await sleep(ms, undefined, { signal });
      return `${ms} ms into the first request`;
    }
    case 'task-end': {
      const nth = random.int(1, 2);
      await until(() => ended() >= nth, signal);
      return `at task end #${nth}`;
    }
    case 'between': {
      const nth = random.int(1, 2);
      const ms = random.int(10, 400);
      await until(() => ended() >= nth, signal);
      await sleep(ms, undefined, { signal });
      return `${ms} ms after task end #${nth}`;
    }
    case 'any-time': {
      const ms = random.int(300, 4_000);
      await until(ready, signal);
      await sleep(ms, undefined, { signal });
      return `${ms} ms after ready`;
    }
  }
}

let host: KillableChild | undefined;
let bundle: BundledFixture | undefined;
let dir: string | undefined;
let cliEnvEntry: string | undefined;
afterEach(async () => {
  await host?.kill();
  // A failed test must not leave CLIs behind either.
  for (const pid of cliEnvEntry ? processesWithEnv(cliEnvEntry) : []) {
    try {
      process.kill(pid, 'SIGKILL');
    } catch {
      // Gone.
    }
  }
  bundle?.remove();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe('a durable run whose host is SIGKILLed again and again', () => {
  it(`loses no task, reruns no finished one and ends as an uninterrupted run (>= ${MIN_KILLS} kills)`, async () => {
    const seed = seedFromEnv(20_261_203);
    const random = seededRandom(seed);
    const plan = await loadPlan(planPath);
    const taskIds = plan.tasks.map((task) => task.id);
    expect(taskIds).toHaveLength(12);
    dir = mkdtempSync(join(tmpdir(), 'ca-durable-kill-'));
    cliEnvEntry = `ANTHROPIC_BASE_URL=${sim.env.simulator.url}`;
    bundle = await bundleFixture(hostFixture);

    // The reference: the same plan run once, uninterrupted, in memory.
    answerEveryTask(taskIds);
    const baselineStarted = Date.now();
    const runtime = createRuntime({
      defaults: { ...sim.env.options, retry: { maxAttempts: 2, initialDelayMs: 50, jitter: 0 } },
    });
    const baselineDir = join(dir, 'baseline');
    const baseline = await runTaskQueue(runtime, plan, {
      workers: 3,
      outputDir: baselineDir,
      runId: RUN_ID,
    }).result.finally(() => runtime.stop());
    const baselineMs = Date.now() - baselineStarted;
    expect(baseline.counts).toMatchObject({ succeeded: 12, total: 12 });
    const baselineOutputs = new Map(baseline.tasks.map((task) => [task.id, task.output]));
    // The simulator answers each task with its text, whatever the run: check it did.
    for (const taskId of taskIds) expect(baselineOutputs.get(taskId)).toBe(outputOf(taskId));
    const baselinePrompts = new Map<string, string>();
    for (const request of sim.env.simulator.requests) {
      baselinePrompts.set(taskOf(request) ?? '(none)', request.prompt);
    }
    expect(requestsByTask(sim.env.simulator.requests)).toEqual(
      new Map(taskIds.map((taskId) => [taskId, 1])),
    );
    const baselineFiles = readReport(baselineDir).files;
    expect(await eventually(() => processesWithEnv(cliEnvEntry!).length === 0, 10_000)).toBe(true);
    sim.env.simulator.reset();
    answerEveryTask(taskIds);

    // The durable run: a host per life, killed at a seeded random point, until it finishes.
    const storePath = join(dir, 'store.db');
    const outputDir = join(dir, 'out');
    const hostEnv = {
      HOST_QUERY_ENV: JSON.stringify(sim.env.options.env),
      PLAN_PATH: planPath,
      STORE_PATH: storePath,
      OUTPUT_DIR: outputDir,
      RUN_ID,
      WORKERS: '3',
    };
    const kills: string[] = [];
    /** Requests of each task when the journal first had it succeeded. */
    const requestsWhenSucceeded = new Map<string, number>();
    let orphans = 0;
    let lastLine = '';
    /** Lives whose `task.restored` events were not the tasks the journal had succeeded. */
    const wrongRestores: string[] = [];
    let restores = 0;
    const checkRestored = (life: number, expected: ReadonlySet<string>): void => {
      const events = host!.lines.filter((line) => line.startsWith('event '));
      const restored = events
        .filter((line) => line.startsWith('event task.restored '))
        .map((line) => line.slice('event task.restored '.length));
      restores += restored.length;
      // Restored tasks come first: a life killed before it reported them all can miss some.
      const pastRestoring = events.some((line) => !line.startsWith('event task.restored '));
      const extra = restored.filter((taskId) => !expected.has(taskId));
      const missing = pastRestoring ? [...expected].filter((id) => !restored.includes(id)) : [];
      if (extra.length > 0 || missing.length > 0) {
        wrongRestores.push(`life ${life}: restored [${restored}], journal had [${[...expected]}]`);
      }
    };
    const startedAt = Date.now();
    for (let life = 0; ; life++) {
      expect(life, `seed ${seed}: ${kills.join('; ')}`).toBeLessThan(KILLS + 10);
      const requestsAtStart = sim.env.simulator.requests.length;
      const inJournal = new Set(requestsWhenSucceeded.keys());
      const lifeStarted = Date.now();
      host = startChild(bundle.script, hostEnv);
      const finished = host.waitForLine((line) => line.startsWith('done '), 120_000);
      if (kills.length >= KILLS) {
        lastLine = await finished;
        await host.exited;
        checkRestored(life, inJournal);
        break;
      }
      // Spread over the run: a kill that lets tasks end while fewer have ended than the
      // kill's share of the run, else one that does not; the first before any task at all.
      // With 3 tasks or fewer left, a kill that lets tasks end could come after the run's
      // end (it finishes first, short of the kills planned): only those that do not.
      const wanted = (taskIds.length * (kills.length + 1)) / (KILLS + 2);
      const left = taskIds.length - requestsWhenSucceeded.size;
      const kind =
        kills.length === 0
          ? 'at-ready'
          : random.pick(requestsWhenSucceeded.size < wanted && left > 3 ? PROGRESS : NO_PROGRESS);
      const stop = new AbortController();
      const outcome = await Promise.race([
        killPoint(kind, host, requestsAtStart, random, stop.signal).then((at) => ({ at })),
        finished.then((line) => ({ line })),
      ]).finally(() => stop.abort());
      finished.catch(() => {});
      if ('line' in outcome) {
        // The run ended before this kill point came.
        lastLine = outcome.line;
        await host.exited;
        checkRestored(life, inJournal);
        break;
      }
      const killedAt = Date.now();
      await host.kill();
      checkRestored(life, inJournal);
      kills.push(`#${kills.length + 1} ${kind} (${outcome.at})`);
      // The killed host's CLIs go (its watchdog ends them); none may outlive it for long.
      if (!(await eventually(() => processesWithEnv(cliEnvEntry!).length === 0, 5_000))) {
        const left = processesWithEnv(cliEnvEntry!);
        orphans += left.length;
        for (const pid of left) process.kill(pid, 'SIGKILL');
      }
      if (process.env.REPORT_TIMINGS) {
        process.stderr.write(
          `life ${life}: ${kills.at(-1)}, killed after ${killedAt - lifeStarted} ms, CLIs gone ` +
            `${Date.now() - killedAt} ms later, ${sim.env.simulator.requests.length} requests\n`,
        );
      }
      const counts = requestsByTask(sim.env.simulator.requests);
      for (const task of await readJournal(storePath)) {
        if (task.status === 'succeeded' && !requestsWhenSucceeded.has(task.taskId))
          requestsWhenSucceeded.set(task.taskId, counts.get(task.taskId) ?? 0);
      }
    }
    const durableMs = Date.now() - startedAt;
    const why = `seed ${seed}: ${kills.join('; ')}`;

    expect(kills.length, why).toBeGreaterThanOrEqual(MIN_KILLS);
    expect(lastLine, why).toBe('done succeeded 12/12');
    expect(orphans, why).toBe(0);
    // 0 lost tasks: each succeeded, with the output of the uninterrupted run.
    const store = openSqliteStore(storePath);
    const journalled = await store.runs.getRun(RUN_ID).finally(() => store.close());
    expect(journalled?.status, why).toBe('succeeded');
    const journal = await readJournal(storePath);
    expect(
      journal.map((task) => [task.taskId, task.status, task.output]),
      why,
    ).toEqual(taskIds.map((taskId) => [taskId, 'succeeded', baselineOutputs.get(taskId)]));
    // 0 finished tasks run again: no request for a task after the journal had it succeeded.
    const counts = requestsByTask(sim.env.simulator.requests);
    const rerun = [...requestsWhenSucceeded]
      .filter(([taskId, requests]) => counts.get(taskId) !== requests)
      .map(([taskId, requests]) => `${taskId}: ${requests} -> ${counts.get(taskId)}`);
    expect(rerun, why).toEqual([]);
    // Each life took exactly the journal's succeeded tasks (and their outputs) as restored.
    expect(wrongRestores, why).toEqual([]);
    expect(restores, why).toBeGreaterThan(0);
    expect(counts.get('(none)'), why).toBeUndefined();
    // Every request of a task carried the prompt of the uninterrupted run (same dependency
    // outputs), also after its dependencies' outputs came back from the journal.
    const wrongPrompts = sim.env.simulator.requests
      .filter((request) => {
        const expected = baselinePrompts.get(taskOf(request) ?? '(none)') ?? '';
        return !JSON.stringify(request.body).includes(JSON.stringify(expected).slice(1, -1));
      })
      .map((request) => taskOf(request));
    expect(wrongPrompts, why).toEqual([]);
    // The report is complete and the same as the uninterrupted run's.
    const { report, files } = readReport(outputDir);
    expect(report.counts, why).toMatchObject({ succeeded: 12, total: 12 });
    expect(
      (report.tasks as Array<{ id: string; status: string }>).map((t) => [t.id, t.status]),
      why,
    ).toEqual(taskIds.map((taskId) => [taskId, 'succeeded']));
    // Each task's output file, as the uninterrupted run wrote it.
    expect(files.size, why).toBe(12);
    expect(files, why).toEqual(baselineFiles);

    if (process.env.REPORT_TIMINGS) {
      const extra = sim.env.simulator.requests.length - taskIds.length;
      const resumed = sim.env.simulator.requests.filter((r) => !r.prompt.startsWith('[task:'));
      process.stderr.write(
        `durable run: ${kills.length} kills (seed ${seed}), ${sim.env.simulator.requests.length} ` +
          `requests for 12 tasks (${extra} for tasks in flight at a kill, ${resumed.length} ` +
          `of them continuing a session), ${restores} tasks restored from the journal over the ` +
          `lives, ${durableMs} ms vs ${baselineMs} ms uninterrupted\n` +
          `${kills.join('\n')}\n`,
      );
    }
  }, 240_000);
});
