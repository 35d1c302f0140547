import { readFileSync } from 'node:fs';
import { parse as parseYaml } from 'yaml';
import { didYouMean } from '../core/validation/did-you-mean.js';
import { describeIssue, InvalidOptionsError } from '../core/validation/invalid-options-error.js';
import {
  InvalidPlanError,
  type PlanIssue,
} from '../orchestration/plan/errors/invalid-plan-error.js';
import { PlanGraphError } from '../orchestration/plan/errors/plan-graph-error.js';
import { CommandLineError } from './command-line-error.js';
import { planCodeFrame } from './plan-code-frame.js';

/** A file the command was given, for "not found" messages. */
type GivenFile = 'plan file' | 'prompt file';

function issueLine(issue: PlanIssue): string {
  const task = issue.taskId === undefined ? '' : `task \`${issue.taskId}\`, `;
  const field = issue.path ? `field \`${issue.path}\`: ` : '';
  const got = issue.received ? `, got ${issue.received}` : '';
  return `${task}${field}${issue.message}${got}`;
}

/** The code frame a YAML parser error carries below its first line, if any. */
function codeFrame(cause: unknown): string | undefined {
  if (!(cause instanceof Error) || cause.name !== 'YAMLParseError') return undefined;
  const frame = cause.message
    .split('\n')
    .slice(1)
    .join('\n')
    .replace(/^\n+|\n+$/g, '');
  return frame || undefined;
}

function readText(path: string): string | undefined {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return undefined;
  }
}

/** The task ids of a plan file's text (JSON is YAML too), for did-you-mean. */
function taskIds(text: string): string[] {
  try {
    const tasks = (parseYaml(text) as { tasks?: unknown } | null)?.tasks;
    if (!Array.isArray(tasks)) return [];
    return tasks.flatMap((task) => (typeof task?.id === 'string' ? [task.id as string] : []));
  } catch {
    return [];
  }
}

function isMissingFile(cause: unknown): boolean {
  const code = (cause as NodeJS.ErrnoException | undefined)?.code;
  return code === 'ENOENT' || code === 'ENOTDIR';
}

/**
 * Every problem an error stands for, one entry each (an entry may span lines, e.g. a code
 * frame): every issue of an invalid plan or invalid options, not just the first, each with
 * where it is in the plan file; a plan file that does not exist as one line.
 *
 * @param context - What kind of file the command was given, and the plan file (`source`), to
 *   show where a dependency-graph problem is.
 */
export function describeError(
  error: unknown,
  context: { readonly file?: GivenFile; readonly source?: string } = {},
): string[] {
  const { file = 'plan file' } = context;
  if (error instanceof CommandLineError) return [...error.problems];
  if (error instanceof PlanGraphError) {
    const text = context.source === undefined ? undefined : readText(context.source);
    const ids = text ? taskIds(text) : [];
    const where = context.source ? ` (${context.source})` : '';
    return error.problems.map((issue) => {
      const frame =
        text === undefined ? undefined : planCodeFrame(context.source!, text, issue.path, false);
      const suggestion =
        issue.problem === 'unknown_dependency' && issue.dependency !== undefined
          ? didYouMean(issue.dependency, ids)
          : undefined;
      const hint = suggestion ? ` Did you mean \`${suggestion}\`?` : '';
      return `invalid plan${where}: ${issue.message}${hint}${frame ? `\n${frame}` : ''}`;
    });
  }
  if (error instanceof InvalidPlanError) {
    const source = error.source ?? '';
    if (isMissingFile(error.cause)) return [`${file} not found: ${source}`];
    const where = source ? ` (${source})` : '';
    const syntaxFrame = codeFrame(error.cause);
    const text = syntaxFrame || !source ? undefined : readText(source);
    return error.issues.map((issue, i) => {
      const frame =
        i === 0 && syntaxFrame
          ? syntaxFrame
          : text !== undefined && issue.path
            ? planCodeFrame(source, text, issue.path, issue.message.startsWith('unknown key'))
            : undefined;
      return `invalid plan${where}: ${issueLine(issue)}${frame ? `\n${frame}` : ''}`;
    });
  }
  if (error instanceof InvalidOptionsError) {
    return error.issues.map((issue) => `invalid option ${describeIssue(issue)}`);
  }
  if (error instanceof Error) return [error.message];
  return [String(error)];
}
