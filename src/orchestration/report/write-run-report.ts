import { mkdir } from 'node:fs/promises';
import { relative, resolve } from 'node:path';
import { OutputPathError } from './errors/output-path-error.js';
import { openInside } from './open-inside.js';
import { REPORT_FILE, taskOutputFileProblem } from './output-path-problem.js';
import type { RunSummary, TaskRow } from './run-summary.js';

/** What {@link writeRunReport} wrote. */
export interface WrittenReport {
  /** Absolute path of `report.json`. */
  readonly reportFile: string;
  /** Absolute path of each task's output file, by task id (tasks with an output only). */
  readonly outputFiles: Readonly<Record<string, string>>;
}

/**
 * Where a task's output goes: its `outputFile` (relative to the directory), or `tasks/<id>.md`.
 *
 * @throws {@link OutputPathError} for a name that would leave the directory (`../x`, `/abs`,
 *   a backslash, a NUL byte...; see `outputPathProblem`) or is `report.json`.
 */
export function taskOutputPath(
  task: Pick<TaskRow, 'id' | 'outputFile'>,
  outputDir: string,
): string {
  const file = task.outputFile ?? `tasks/${task.id}.md`;
  const problem = taskOutputFileProblem(file);
  if (problem) throw new OutputPathError(file, problem, task.id);
  return resolve(outputDir, file);
}

/**
 * Writes a run's report into `outputDir` (created if needed): `report.json` (the summary, each
 * task's output replaced by the path of its file) and each task's output in its own file,
 * `tasks/<id>.md` or the task's `outputFile`. Tasks without output (failed, skipped) get no file.
 *
 * Every write stays inside `outputDir`: names are checked again (plans check them first), the
 * path is resolved against the real directory, directories on the way are created one at a time
 * and never through a symbolic link, and a file that is a symbolic link is not written through.
 * Nothing is written when any task's path is refused.
 *
 * @throws {@link OutputPathError} for a path that would leave `outputDir`.
 * @example
 * ```ts
 * const summary = await runTaskQueue(runtime, plan).result;
 * await writeRunReport(summary, 'out/run-1'); // out/run-1/report.json, out/run-1/tasks/*.md
 * ```
 */
export async function writeRunReport(
  summary: RunSummary,
  outputDir: string,
): Promise<WrittenReport> {
  const root = resolve(outputDir);
  // Every name first: a refused one writes nothing at all.
  for (const task of summary.tasks) if (task.output !== undefined) taskOutputPath(task, root);
  await mkdir(root, { recursive: true });
  const outputFiles: Record<string, string> = {};
  const rows = [];
  for (const task of summary.tasks) {
    const { output, ...row } = task;
    if (output === undefined) {
      rows.push({ ...row, outputFile: undefined });
      continue;
    }
    const file = await writeInside(
      root,
      task.outputFile ?? `tasks/${task.id}.md`,
      output.endsWith('\n') ? output : `${output}\n`,
      task.id,
    );
    outputFiles[task.id] = file;
    rows.push({ ...row, outputFile: relative(root, file) });
  }
  const reportFile = await writeInside(
    root,
    REPORT_FILE,
    `${JSON.stringify({ ...summary, tasks: rows }, null, 2)}\n`,
  );
  return { reportFile, outputFiles };
}

async function writeInside(root: string, file: string, text: string, taskId?: string) {
  const { path, handle } = await openInside(root, file, taskId);
  try {
    await handle.writeFile(text, 'utf8');
  } finally {
    await handle.close();
  }
  return path;
}
