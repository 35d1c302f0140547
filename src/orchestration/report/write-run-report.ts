import { mkdir, writeFile } from 'node:fs/promises';
import { dirname, isAbsolute, join, relative, resolve } from 'node:path';
import type { RunSummary, TaskRow } from './run-summary.js';

/** What {@link writeRunReport} wrote. */
export interface WrittenReport {
  /** Absolute path of `report.json`. */
  readonly reportFile: string;
  /** Absolute path of each task's output file, by task id (tasks with an output only). */
  readonly outputFiles: Readonly<Record<string, string>>;
}

/** Where a task's output goes: its `outputFile` (relative to the directory), or `tasks/<id>.md`. */
export function taskOutputPath(
  task: Pick<TaskRow, 'id' | 'outputFile'>,
  outputDir: string,
): string {
  const file = task.outputFile ?? join('tasks', `${task.id}.md`);
  return isAbsolute(file) ? file : resolve(outputDir, file);
}

/**
 * Writes a run's report into `outputDir` (created if needed): `report.json` (the summary, each
 * task's output replaced by the path of its file) and each task's output in its own file,
 * `tasks/<id>.md` or the task's `outputFile`. Tasks without output (failed, skipped) get no file.
 *
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
  await mkdir(root, { recursive: true });
  const outputFiles: Record<string, string> = {};
  const rows = [];
  for (const task of summary.tasks) {
    const { output, ...row } = task;
    if (output === undefined) {
      rows.push({ ...row, outputFile: undefined });
      continue;
    }
    const file = taskOutputPath(task, root);
    await mkdir(dirname(file), { recursive: true });
    await writeFile(file, output.endsWith('\n') ? output : `${output}\n`, 'utf8');
    outputFiles[task.id] = file;
    rows.push({ ...row, outputFile: relative(root, file) });
  }
  const reportFile = join(root, 'report.json');
  await writeFile(reportFile, `${JSON.stringify({ ...summary, tasks: rows }, null, 2)}\n`, 'utf8');
  return { reportFile, outputFiles };
}
