import { basename, dirname, extname, join, resolve } from 'node:path';
import { type Dashboard, serveDashboard } from '../dashboard/serve-dashboard.js';
import type { BullmqBackend } from '../distributed/bullmq-backend.js';
import { describeRedis } from '../distributed/redis-connection.js';
import { loadPlan } from '../orchestration/plan/load-plan.js';
import { parsePlan } from '../orchestration/plan/parse-plan.js';
import type { Plan } from '../orchestration/plan/plan-schema.js';
import type { RunSummary } from '../orchestration/report/run-summary.js';
import { runTaskQueue } from '../orchestration/task-queue/run-task-queue.js';
import { createRuntime } from '../runtime/create-runtime.js';
import { StoreError } from '../store/errors/store-error.js';
import { openSqliteStore } from '../store/open-sqlite-store.js';
import type { Store } from '../store/store.js';
import { createSimulatedEnvironment } from '../testing/create-simulated-environment.js';
import { commandHelp } from './command-help.js';
import type { CommandIo } from './command-io.js';
import {
  type AnyCommandSpec,
  booleanFlag,
  integerFlag,
  optionalIntegerFlag,
  optionalStringFlag,
  stringFlag,
} from './command-spec.js';
import { defaultOutputDir, latestOutputDir } from './default-output-dir.js';
import { describeError } from './describe-error.js';
import { EXIT_CODES } from './exit-codes.js';
import { formatCost, formatDuration, table } from './format.js';
import { parseCommandLine } from './parse-command-line.js';
import { isPlanFile, planFromPromptFiles } from './plan-from-files.js';
import { preflight } from './preflight.js';
import { lineReporter, liveDisplay } from './run-display.js';
import { TaskBoard } from './task-board.js';
import { writeProblems } from './write-problems.js';

/** The command line of `claude-actors run`: parsed from and documented by this one table. */
export const runCommandSpec = {
  name: 'run',
  operands: '<plan.json|plan.yaml | prompt files...>',
  summary: 'Run a task plan (or one task per prompt file) with a live display and a summary.',
  takesOperands: true,
  flags: {
    'max-parallel': integerFlag(
      'N',
      "Tasks running at once (default: the plan's workers, else the number of tasks up to 4).",
      { min: 1, short: 'p' },
    ),
    live: booleanFlag('Run against real Claude (needs credentials); default: the simulated API.'),
    json: booleanFlag('Print the run summary as JSON on stdout; progress goes to stderr.'),
    output: stringFlag(
      'DIR',
      'Folder for report.json and tasks/<id>.md (default: claude-actors-output/<plan name>).',
      'o',
    ),
    'keep-worktrees': booleanFlag('Keep the git worktrees and branches of worktree tasks.'),
    store: stringFlag(
      'FILE',
      'The run journal, a SQLite file (default: <output>/store.db): every task transition is ' +
        'committed there, so --resume can continue the run after a crash.',
    ),
    'no-store': booleanFlag('Run without a journal (nothing to --resume).'),
    resume: optionalStringFlag(
      'RUN_ID',
      'Continue run RUN_ID from the journal, or else the latest run of this plan that did not ' +
        'succeed: succeeded tasks are kept, tasks in flight continue their session, failed, ' +
        'cancelled and skipped ones run again. Without --output: in the latest default folder.',
    ),
    'keep-failed': booleanFlag(
      'With --resume: keep failed and cancelled tasks as they ended instead of running them again.',
    ),
    reconcile: booleanFlag(
      'With --resume: accept a changed plan; changed and new tasks and their dependents run ' +
        '(again), the rest is kept.',
    ),
    redis: stringFlag(
      'URL',
      'Dispatch the tasks to `claude-actors worker` processes through this Redis (e.g. ' +
        'redis://127.0.0.1:6379); the DAG, the journal and the report stay here.',
    ),
    dashboard: optionalIntegerFlag(
      'PORT',
      'Serve a live dashboard on 127.0.0.1 (a free port, or PORT) during the run; prints its URL.',
      { min: 0, max: 65_535 },
    ),
  },
} as const satisfies AnyCommandSpec;

/** The plan of the run, and what to call its default output folder. */
async function readPlan(files: readonly string[]): Promise<{ plan: Plan; name: string }> {
  if (files.length === 1 && isPlanFile(files[0]!)) {
    const plan = await loadPlan(files[0]!);
    return { plan, name: plan.name ?? basename(files[0]!, extname(files[0]!)) };
  }
  const plan = parsePlan(await planFromPromptFiles(files));
  return { plan, name: files.length === 1 ? basename(files[0]!, extname(files[0]!)) : 'prompts' };
}

/**
 * `claude-actors run`: runs a plan (or one task per prompt file) on a runtime, against the
 * built-in simulated API unless `--live`. Before anything runs, every problem of the command
 * line, the plan and the preflight checks (credentials, worktrees, output folder) is reported
 * together. A live display on a terminal, plain lines otherwise; a summary table at the end;
 * the report in `--output` (default `claude-actors-output/<plan name>`).
 *
 * @returns 0 when every task succeeded, 1 when one did not, 2 for bad usage, an invalid plan
 *   or a failed preflight (nothing run).
 */
export async function runCommand(args: string[], io: CommandIo): Promise<number> {
  let parsed: ReturnType<typeof parseCommandLine<typeof runCommandSpec.flags>>;
  try {
    parsed = parseCommandLine(runCommandSpec, args);
  } catch (error) {
    return writeProblems(io.stderr, describeError(error), runCommandSpec);
  }
  if (parsed.help) {
    io.stdout.write(commandHelp(runCommandSpec));
    return EXIT_CODES.ok;
  }
  const { values, operands: files } = parsed;
  if (files.length === 0) {
    return writeProblems(io.stderr, ['give a plan file or prompt files'], runCommandSpec);
  }
  const planFiles = files.filter(isPlanFile);
  if (files.length > 1 && planFiles.length > 0) {
    return writeProblems(
      io.stderr,
      [
        `give one plan file, or prompt files: got ${files.length} files, of which plan file(s) ${planFiles.join(', ')}`,
      ],
      runCommandSpec,
    );
  }
  const live = values.live === true;
  const problems: string[] = storeProblems(values);
  if (values.redis !== undefined && !/^rediss?:\/\/\S+$/.test(values.redis)) {
    problems.push(
      `--redis: expected a redis:// or rediss:// URL, got ${JSON.stringify(values.redis.replace(/\/\/([^:/@]*):[^@]*@/, '//$1:[redacted]@'))}`,
    );
  }
  let plan: Plan | undefined;
  let outputDir = values.output;
  try {
    const read = await readPlan(files);
    plan = read.plan;
    // A resume continues where the latest default-folder run left its journal, or beside the
    // journal it is given (`<output>/store.db` is where a run keeps it).
    if (values.resume !== undefined) {
      outputDir ??=
        values.store === undefined ? latestOutputDir(read.name) : dirname(resolve(values.store));
    }
    outputDir ??= defaultOutputDir(read.name);
  } catch (error) {
    const planFile = files.length === 1 && isPlanFile(files[0]!) ? files[0] : undefined;
    problems.push(
      ...describeError(error, planFile ? { source: planFile } : { file: 'prompt file' }),
    );
  }
  problems.push(
    ...(await preflight({
      plan,
      live,
      outputDir,
      notice: (line) => io.stderr.write(`claude-actors: ${line}\n`),
    })),
  );
  if (problems.length > 0 || plan === undefined || outputDir === undefined) {
    return writeProblems(io.stderr, problems);
  }
  // Interrupted while checking: nothing started, nothing to report.
  if (io.signal?.aborted) return EXIT_CODES.failed;
  let store: Store | undefined;
  try {
    store = openStore(values, outputDir, io);
  } catch (error) {
    return writeProblems(io.stderr, describeError(error));
  }
  try {
    return await execute(plan, outputDir, values, io, store);
  } finally {
    await store?.close();
  }
}

type RunValues = ReturnType<typeof parseCommandLine<typeof runCommandSpec.flags>>['values'];

const RUN_ID = /^[A-Za-z0-9][A-Za-z0-9_-]{0,63}$/;

/** What is wrong with the journal flags, together. */
function storeProblems(values: RunValues): string[] {
  const problems: string[] = [];
  if (values['no-store'] && values.store !== undefined) {
    problems.push('--no-store and --store contradict each other: give one');
  }
  if (values['no-store'] && values.resume !== undefined) {
    problems.push('--resume needs the journal: drop --no-store');
  }
  if (typeof values.resume === 'string' && !RUN_ID.test(values.resume)) {
    problems.push(
      `--resume: expected a run id (up to 64 letters, digits, \`_\` and \`-\`), got ${JSON.stringify(values.resume)}`,
    );
  }
  for (const flag of ['keep-failed', 'reconcile'] as const) {
    if (values[flag] && values.resume === undefined) problems.push(`--${flag} needs --resume`);
  }
  return problems;
}

/**
 * Opens the run's journal: `--store`, else `<output>/store.db`; none with `--no-store`. When
 * the SQLite driver cannot load, a default journal is given up with one warning; an explicit
 * `--store` or `--resume` fails instead.
 *
 * @throws {@link StoreError} when the journal cannot be opened and was asked for.
 */
function openStore(values: RunValues, outputDir: string, io: CommandIo): Store | undefined {
  if (values['no-store']) return undefined;
  const file = values.store ?? join(outputDir, 'store.db');
  try {
    return openSqliteStore(file);
  } catch (error) {
    const asked = values.store !== undefined || values.resume !== undefined;
    if (asked || !(error instanceof StoreError) || error.code !== 'STORE_UNAVAILABLE') throw error;
    io.stderr.write(
      `claude-actors: warning: no run journal (${error.message}) The run goes on without one; ` +
        'it cannot be resumed.\n',
    );
    return undefined;
  }
}

async function execute(
  plan: Plan,
  outputDir: string,
  values: RunValues,
  io: CommandIo,
  store: Store | undefined,
): Promise<number> {
  // With --redis the workers run the queries (simulated or live is theirs to say).
  const sim =
    values.live || values.redis !== undefined
      ? undefined
      : await createSimulatedEnvironment({
          ttftMs: 150,
          chunkSize: 12,
          chunkDelayMs: 25,
          // A journalled run keeps the simulated CLI's home (its session transcripts) beside
          // the journal, so a resumed task can continue its session.
          ...(store?.location ? { home: join(dirname(store.location), '.simulated-home') } : {}),
        });
  const workers = values['max-parallel'] ?? plan.workers ?? Math.min(plan.tasks.length, 4);
  const watched = values.dashboard !== undefined;
  const runtime = createRuntime({
    // The dashboard shows the text as it streams.
    defaults: { ...sim?.options, ...(watched ? { includePartialMessages: true } : {}) },
    limiter: { maxConcurrent: workers },
    // The journal's store also records the run's sessions (`claude-actors sessions --store`),
    // its CLI processes (reaped by the next run on it after a crash) and its budget and
    // limiter state (a resumed run waits out a usage limit the crashed one met).
    ...(store ? { store } : {}),
  });
  const progressOut = values.json ? io.stderr : io.stdout;
  const tty = !values.json && (io.stdout as NodeJS.WriteStream).isTTY === true;
  progressOut.write(
    `${values.redis !== undefined ? `Dispatching to the workers of ${describeRedis(values.redis)}.` : sim ? `Running against the simulated API (${sim.simulator.url}); --live for real Claude.` : 'Running against Claude.'} ` +
      `${plan.tasks.length} tasks, ${workers} workers. Outputs go to ${outputDir}/\n`,
  );
  let display: ReturnType<typeof liveDisplay> | undefined;
  let dashboard: Dashboard | undefined;
  let backend: BullmqBackend | undefined;
  try {
    if (values.redis !== undefined) {
      // Loaded here: a run without --redis never loads BullMQ.
      const { bullmqBackend } = await import('../distributed/bullmq-backend.js');
      backend = bullmqBackend({ connection: values.redis });
      await backend.ready();
    }
    if (watched) {
      const port = values.dashboard === true ? 0 : values.dashboard;
      dashboard = await serveDashboard(runtime, { port });
      progressOut.write(`Dashboard: ${dashboard.url}\n`);
    }
    const run = runTaskQueue(runtime, plan, {
      workers,
      outputDir,
      keepWorktrees: values['keep-worktrees'] === true,
      signal: io.signal,
      store,
      resume: values.resume !== undefined,
      ...(typeof values.resume === 'string' ? { runId: values.resume } : {}),
      resumePolicy: values['keep-failed'] ? { failed: 'keep', cancelled: 'keep' } : {},
      resumeChangedPlan: values.reconcile ? 'reconcile' : 'refuse',
      ...(backend ? { backend } : {}),
    });
    // Awaited below; when the run cannot start (a refused resume), `started` rejects first and
    // the result's rejection must not go unhandled meanwhile.
    run.result.catch(() => undefined);
    if (store) {
      const { runId, resumed } = await run.started;
      progressOut.write(
        `${resumed ? `Resuming run ${runId}` : `Run ${runId}`}, journalled in ${store.location}` +
          `${resumed ? '' : ` (after a crash: --resume=${runId})`}\n`,
      );
    }
    // Once the run has its id (a resumed run takes the journal's): its events carry that id.
    dashboard?.watchRun(run, plan);
    const board = new TaskBoard(plan.tasks.map((t) => t.id));
    display = tty
      ? liveDisplay(io.stdout as NodeJS.WriteStream, board, { concurrency: workers })
      : undefined;
    const report = tty ? undefined : lineReporter(progressOut);
    run.progress$.subscribe((event) => {
      board.apply(event);
      report?.(event);
    });
    const summary = await run.result;
    display?.stop();
    if (values.json) {
      io.stdout.write(`${JSON.stringify({ ...summary, simulated: sim !== undefined }, null, 2)}\n`);
      io.stderr.write(`${reportLine(outputDir)}\n`);
    } else io.stdout.write(`\n${summaryText(summary, outputDir, sim !== undefined)}\n`);
    return summary.counts.succeeded === summary.counts.total ? EXIT_CODES.ok : EXIT_CODES.failed;
  } catch (error) {
    display?.stop();
    // The plan and options were checked up front: this is the run failing (e.g. the report
    // could not be written), not bad usage.
    writeProblems(io.stderr, describeError(error));
    return EXIT_CODES.failed;
  } finally {
    display?.stop();
    await dashboard?.close();
    await backend?.close();
    await runtime.stop({ deadlineMs: 5_000 });
    await sim?.close();
  }
}

function reportLine(outputDir: string): string {
  return `Report: ${outputDir}/report.json, outputs in ${outputDir}/tasks/`;
}

function summaryText(summary: RunSummary, outputDir: string, simulated: boolean): string {
  const rows = summary.tasks.map((t) => [
    t.id,
    t.status,
    String(t.attempts),
    formatDuration(t.durationMs),
    formatCost(t.costUsd),
    t.worker ?? '',
    (t.error ?? t.skippedBecause ?? '').slice(0, 70),
  ]);
  const c = summary.counts;
  return [
    table(['task', 'status', 'tries', 'time', 'cost', 'worker', 'note'], rows),
    '',
    `${c.succeeded} succeeded, ${c.failed} failed, ${c.skipped} skipped, ${c.cancelled} cancelled · ` +
      `wall ${formatDuration(summary.wallDurationMs)} · speed-up ${summary.speedUp.toFixed(2)}× over ${formatDuration(summary.taskDurationMs)} of tasks · ` +
      `${formatCost(summary.totalCostUsd)}${simulated ? ' (simulated)' : ''}`,
    reportLine(outputDir),
  ].join('\n');
}
