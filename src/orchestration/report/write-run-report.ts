import { mkdir, rmdir } from 'node:fs/promises';
import { dirname, relative, resolve } from 'node:path';
import { OutputPathError } from './errors/output-path-error.js';
import { type OpenedInside, openInside, removeCreated } from './open-inside.js';
import { outputPathConflicts } from './output-path-conflicts.js';
import { REPORT_FILE, taskOutputFileProblem } from './output-path-problem.js';
import type { RunSummary, TaskRow } from './run-summary.js';
import { writeInsideAtomically } from './write-inside-atomically.js';

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
 * task's output replaced by the path of its file; replaced atomically, so a reader never sees
 * half a report) and each task's output in its own file,
 * `tasks/<id>.md` or the task's `outputFile`. Tasks without output (failed, skipped) get no file.
 *
 * Every write stays inside `outputDir`: names are checked again (plans check them first), the
 * path is resolved against the real directory, directories on the way are created one at a time
 * and never through a symbolic link, and a file that is a symbolic link, a hard link, a named
 * pipe or anything else than a plain file is not written through.
 *
 * All or nothing: every path is checked up front, names first (also that no two clash, compared
 * ignoring case, nor lie inside one another or inside `report.json`), then every file is opened
 * before any is truncated. When one is refused, nothing is written and what was created for the
 * others is removed again.
 *
 * @throws {@link OutputPathError} for a path that would leave `outputDir`, clashes with another
 *   or is not a plain file.
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
  const written = summary.tasks.filter((task) => task.output !== undefined);
  // Every name first: a refused one writes nothing at all.
  for (const task of written) taskOutputPath(task, root);
  const files = written.map((task) => task.outputFile ?? `tasks/${task.id}.md`);
  refuseClashes(written, files);
  const madeRoot = await mkdir(root, { recursive: true });
  const opened: OpenedInside[] = [];
  try {
    for (const [index, task] of written.entries()) {
      opened.push(await openInside(root, files[index]!, task.id));
    }
    opened.push(await openInside(root, REPORT_FILE));
  } catch (error) {
    await Promise.all(opened.map(({ handle }) => handle.close()));
    await removeCreated(opened.flatMap(({ created }) => created));
    if (madeRoot !== undefined) await removeDirs(root, madeRoot);
    throw error;
  }
  const outputFiles: Record<string, string> = {};
  const pathOf = new Map<TaskRow, string>();
  written.forEach((task, index) => {
    outputFiles[task.id] = opened[index]!.path;
    pathOf.set(task, opened[index]!.path);
  });
  const rows = summary.tasks.map((task) => {
    const { output: _output, ...row } = task;
    const path = pathOf.get(task);
    return { ...row, outputFile: path === undefined ? undefined : relative(root, path) };
  });
  const report = `${JSON.stringify({ ...summary, tasks: rows }, null, 2)}\n`;
  const textOf = (index: number): string => outputText(written[index]!.output!);
  try {
    // The last one is `report.json`, opened only to check it: it is replaced atomically.
    for (const [index, { handle }] of opened.slice(0, -1).entries()) {
      await handle.truncate(0);
      await handle.writeFile(textOf(index), 'utf8');
    }
  } finally {
    await Promise.all(opened.map(({ handle }) => handle.close()));
  }
  const reportFile = await writeInsideAtomically(root, REPORT_FILE, report);
  return { reportFile, outputFiles };
}

/** A task's output as its file holds it: ending with a newline. @internal */
export function outputText(output: string): string {
  return output.endsWith('\n') ? output : `${output}\n`;
}

/** Two outputs on one file, or one inside another's file or inside `report.json`: refused. */
function refuseClashes(tasks: readonly TaskRow[], files: readonly string[]): void {
  const all = [REPORT_FILE, ...files];
  const [clash] = outputPathConflicts(all);
  if (!clash) return;
  const name = (entry: number) =>
    entry === 0
      ? `the run report \`${REPORT_FILE}\``
      : `task \`${tasks[entry - 1]!.id}\`'s \`${all[entry]}\``;
  const later = Math.max(clash.a, clash.b);
  const other = Math.min(clash.a, clash.b);
  const reason =
    clash.kind === 'same_file'
      ? `it is the same file as ${name(other)} (names compared ignoring case)`
      : later === clash.b
        ? `it lies inside ${name(clash.a)}, which is a file`
        : `it is a file on the way to ${name(clash.b)}`;
  throw new OutputPathError(all[later]!, reason, tasks[later - 1]!.id);
}

/** Removes the directories `mkdir -p` made, from `dir` up to `top`; never a non-empty one. */
async function removeDirs(dir: string, top: string): Promise<void> {
  for (let current = dir; ; current = dirname(current)) {
    await rmdir(current).catch(() => undefined);
    if (current === top || dirname(current) === current) return;
  }
}
