import { parseArgs } from 'node:util';
import { isClaudeActorsError } from '../errors/claude-actors-error.js';
import { loadPlan } from '../orchestration/plan/load-plan.js';
import type { Plan, PlanInput } from '../orchestration/plan/plan-schema.js';
import type { RunSummary } from '../orchestration/report/run-summary.js';
import { runTaskQueue } from '../orchestration/task-queue/run-task-queue.js';
import { createRuntime } from '../runtime/create-runtime.js';
import { createSimulatedEnvironment } from '../simulator/create-simulated-environment.js';
import type { CommandIo } from './command-io.js';
import { formatCost, formatDuration, table } from './format.js';
import { isPlanFile, planFromPromptFiles } from './plan-from-files.js';
import { lineReporter, liveDisplay } from './run-display.js';
import { TaskBoard } from './task-board.js';

const USAGE =
  'usage: claude-actors run <plan.json|plan.yaml | prompt files…> [--max-parallel N] [--live] [--json] [--output DIR] [--keep-worktrees]';

/**
 * `claude-actors run`: runs a plan (or one task per prompt file) on a runtime, against the
 * built-in simulated API unless `--live`. A live display on a terminal, plain lines otherwise;
 * a summary table at the end; the report under `--output`. Exit code 1 when any task did not
 * succeed, 2 for bad usage.
 */
export async function runCommand(args: string[], io: CommandIo): Promise<number> {
  let values: ReturnType<typeof parse>['values'];
  let files: string[];
  try {
    ({ values, positionals: files } = parse(args));
  } catch (error) {
    io.stderr.write(`claude-actors run: ${(error as Error).message}\n${USAGE}\n`);
    return 2;
  }
  if (files.length === 0) {
    io.stderr.write(`claude-actors run: give a plan file or prompt files\n${USAGE}\n`);
    return 2;
  }
  const maxParallel =
    values['max-parallel'] === undefined ? undefined : Number(values['max-parallel']);
  if (maxParallel !== undefined && !(Number.isInteger(maxParallel) && maxParallel > 0)) {
    io.stderr.write(
      `claude-actors run: --max-parallel expects a positive integer, got \`${values['max-parallel']}\`\n`,
    );
    return 2;
  }
  let plan: Plan | PlanInput;
  try {
    plan =
      files.length === 1 && isPlanFile(files[0]!)
        ? await loadPlan(files[0]!)
        : await planFromPromptFiles(files);
  } catch (error) {
    io.stderr.write(`claude-actors run: ${(error as Error).message}\n`);
    return 2;
  }
  const sim = values.live
    ? undefined
    : await createSimulatedEnvironment({ ttftMs: 150, chunkSize: 12, chunkDelayMs: 25 });
  const workers = maxParallel ?? plan.workers ?? Math.min(plan.tasks.length, 4);
  const runtime = createRuntime({
    defaults: sim?.options ?? {},
    limiter: { maxConcurrent: workers },
  });
  const progressOut = values.json ? io.stderr : io.stdout;
  const tty = !values.json && (io.stdout as NodeJS.WriteStream).isTTY === true;
  if (!values.json) {
    io.stdout.write(
      `${sim ? `Running against the simulated API (${sim.simulator.url}); --live for real Claude.` : 'Running against Claude.'} ${plan.tasks.length} tasks, ${workers} workers.\n`,
    );
  }
  let display: ReturnType<typeof liveDisplay> | undefined;
  try {
    const run = runTaskQueue(runtime, plan, {
      workers,
      outputDir: values.output,
      keepWorktrees: values['keep-worktrees'],
      signal: io.signal,
    });
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
    if (values.json) io.stdout.write(`${JSON.stringify(summary, null, 2)}\n`);
    else io.stdout.write(`\n${summaryText(summary, values.output)}\n`);
    return summary.counts.succeeded === summary.counts.total ? 0 : 1;
  } catch (error) {
    display?.stop();
    io.stderr.write(
      `claude-actors run: ${isClaudeActorsError(error) ? error.message : String(error)}\n`,
    );
    return 2;
  } finally {
    display?.stop();
    await runtime.stop({ deadlineMs: 5_000 });
    await sim?.close();
  }
}

function summaryText(summary: RunSummary, outputDir: string | undefined): string {
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
      `wall ${formatDuration(summary.wallDurationMs)} · speed-up ${summary.speedUp.toFixed(2)}× over ${formatDuration(summary.taskDurationMs)} of tasks · ${formatCost(summary.totalCostUsd)}`,
    ...(outputDir ? [`Report: ${outputDir}/report.json, outputs in ${outputDir}/tasks/`] : []),
  ].join('\n');
}

function parse(args: string[]) {
  return parseArgs({
    args,
    allowPositionals: true,
    strict: true,
    options: {
      'max-parallel': { type: 'string', short: 'p' },
      live: { type: 'boolean', default: false },
      json: { type: 'boolean', default: false },
      output: { type: 'string', short: 'o' },
      'keep-worktrees': { type: 'boolean', default: false },
    },
  });
}
