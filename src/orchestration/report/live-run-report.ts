import { mkdir } from 'node:fs/promises';
import { dirname, relative, resolve } from 'node:path';
import { REPORT_FILE } from './output-path-problem.js';
import { removeStaleTempFiles } from './remove-stale-temp-files.js';
import type { RunSummary, TaskRow, TaskStatus } from './run-summary.js';
import { writeInsideAtomically } from './write-inside-atomically.js';
import { outputText } from './write-run-report.js';

/** A row of the live report: a task not ended yet shows where it stands. */
export type LiveTaskRow = Omit<TaskRow, 'status'> & {
  readonly status: TaskStatus | 'pending' | 'queued' | 'running';
};

/** What the live report is made of, read at each write. */
export interface LiveReportContent {
  /** The run so far (its `status` is written as `running`). */
  readonly summary: Omit<RunSummary, 'tasks' | 'status'>;
  readonly tasks: readonly LiveTaskRow[];
}

/** Options of {@link liveRunReport}. */
export interface LiveRunReportOptions {
  readonly outputDir: string;
  /** The content now. */
  readonly read: () => LiveReportContent;
  /** A write failed: the live report stops (the final report is written anyway). */
  readonly onError: (error: unknown) => void;
}

/** `report.json` and the task outputs, kept current while a run goes on. */
export interface LiveRunReport {
  /** A task ended: its output file (when it has an output), then the report, are written. */
  taskEnded(taskId: string): void;
  /** Settles when what was asked so far is written. */
  settled(): Promise<void>;
}

/**
 * Keeps a run's report readable while it runs: when a task ends, its output goes to its file
 * (`tasks/<id>.md` or its `outputFile`) and `report.json` is rewritten with `status: "running"`
 * and every task's state (`pending`, `queued`, `running` or how it ended). Every file is
 * replaced atomically (a temporary file renamed over it) with the checks of `writeRunReport`
 * (nothing outside the folder, no link followed). Writes never overlap; ends that come while
 * one is being written are taken in by the next.
 *
 * @example
 * ```ts
 * const live = liveRunReport({ outputDir: 'out', read: () => content(), onError: warn });
 * live.taskEnded('a'); // out/tasks/a.md, out/report.json
 * ```
 */
export function liveRunReport(options: LiveRunReportOptions): LiveRunReport {
  const root = resolve(options.outputDir);
  const ended: string[] = [];
  const outputFiles = new Map<string, string>();
  let dirty = false;
  let broken = false;
  let writing: Promise<void> | undefined;
  let swept = false;

  const flush = async (): Promise<void> => {
    await mkdir(root, { recursive: true });
    while (dirty) {
      dirty = false;
      const { summary, tasks } = options.read();
      if (!swept) {
        // A host killed mid-write (a run resumed after it) left its temporary files here.
        swept = true;
        const dirs = tasks.map((task) =>
          dirname(resolve(root, task.outputFile ?? `tasks/${task.id}.md`)),
        );
        await removeStaleTempFiles([root, ...dirs]);
      }
      for (const id of ended.splice(0)) {
        const row = tasks.find((task) => task.id === id);
        if (row?.output === undefined) continue;
        const file = row.outputFile ?? `tasks/${id}.md`;
        const path = await writeInsideAtomically(root, file, outputText(row.output), id);
        outputFiles.set(id, relative(root, path));
      }
      const rows = tasks.map(({ output: _output, ...row }) => ({
        ...row,
        outputFile: outputFiles.get(row.id),
      }));
      const report = { ...summary, status: 'running', tasks: rows };
      await writeInsideAtomically(root, REPORT_FILE, `${JSON.stringify(report, null, 2)}\n`);
    }
  };

  const schedule = (): void => {
    dirty = true;
    if (writing || broken) return;
    writing = flush()
      .catch((error: unknown) => {
        broken = true;
        options.onError(error);
      })
      .finally(() => {
        writing = undefined;
        if (dirty && !broken) schedule();
      });
  };

  return {
    taskEnded(taskId) {
      ended.push(taskId);
      schedule();
    },
    async settled() {
      while (writing) await writing;
    },
  };
}
