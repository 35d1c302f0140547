import { basename, extname } from 'node:path';
import { type Dashboard, serveDashboard } from '../dashboard/serve-dashboard.js';
import { loadPlan } from '../orchestration/plan/load-plan.js';
import { parsePlan } from '../orchestration/plan/parse-plan.js';
import type { Plan } from '../orchestration/plan/plan-schema.js';
import type { RunSummary } from '../orchestration/report/run-summary.js';
import { runTaskQueue } from '../orchestration/task-queue/run-task-queue.js';
import { createRuntime } from '../runtime/create-runtime.js';
import { createSimulatedEnvironment } from '../testing/create-simulated-environment.js';
import { commandHelp } from './command-help.js';
import type { CommandIo } from './command-io.js';
import {
  type AnyCommandSpec,
  booleanFlag,
  integerFlag,
  optionalIntegerFlag,
  stringFlag,
} from './command-spec.js';
import { defaultOutputDir } from './default-output-dir.js';
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
  const problems: string[] = [];
  let plan: Plan | undefined;
  let outputDir = values.output;
  try {
    const read = await readPlan(files);
    plan = read.plan;
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
  return execute(plan, outputDir, values, io);
}

async function execute(
  plan: Plan,
  outputDir: string,
  values: ReturnType<typeof parseCommandLine<typeof runCommandSpec.flags>>['values'],
  io: CommandIo,
): Promise<number> {
  const sim = values.live
    ? undefined
    : await createSimulatedEnvironment({ ttftMs: 150, chunkSize: 12, chunkDelayMs: 25 });
  const workers = values['max-parallel'] ?? plan.workers ?? Math.min(plan.tasks.length, 4);
  const watched = values.dashboard !== undefined;
  const runtime = createRuntime({
    // The dashboard shows the text as it streams.
    defaults: { ...sim?.options, ...(watched ? { includePartialMessages: true } : {}) },
    limiter: { maxConcurrent: workers },
  });
  const progressOut = values.json ? io.stderr : io.stdout;
  const tty = !values.json && (io.stdout as NodeJS.WriteStream).isTTY === true;
  progressOut.write(
    `${sim ? `Running against the simulated API (${sim.simulator.url}); --live for real Claude.` : 'Running against Claude.'} ` +
      `${plan.tasks.length} tasks, ${workers} workers. Outputs go to ${outputDir}/\n`,
  );
  let display: ReturnType<typeof liveDisplay> | undefined;
  let dashboard: Dashboard | undefined;
  try {
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
    });
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
