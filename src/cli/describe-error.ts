import { InvalidOptionsError } from '../errors/invalid-options-error.js';
import {
  InvalidPlanError,
  type PlanIssue,
} from '../orchestration/plan/errors/invalid-plan-error.js';
import { CommandLineError } from './command-line-error.js';

/** A file the command was given, for "not found" messages. */
export type GivenFile = 'plan file' | 'prompt file';

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

function isMissingFile(cause: unknown): boolean {
  const code = (cause as NodeJS.ErrnoException | undefined)?.code;
  return code === 'ENOENT' || code === 'ENOTDIR';
}

/**
 * Every problem an error stands for, one entry each (an entry may span lines, e.g. a YAML code
 * frame): every issue of an invalid plan or invalid options, not just the first; a plan file
 * that does not exist as one line.
 */
export function describeError(error: unknown, file: GivenFile = 'plan file'): string[] {
  if (error instanceof CommandLineError) return [...error.problems];
  if (error instanceof InvalidPlanError) {
    const source = error.source ?? '';
    if (isMissingFile(error.cause)) return [`${file} not found: ${source}`];
    const where = source ? ` (${source})` : '';
    const frame = codeFrame(error.cause);
    return error.issues.map(
      (issue, i) =>
        `invalid plan${where}: ${issueLine(issue)}${frame && i === 0 ? `\n${frame}` : ''}`,
    );
  }
  if (error instanceof InvalidOptionsError) {
    return error.issues.map(
      (issue) =>
        `invalid option \`${issue.path || '(root)'}\`: ${issue.message}, got ${issue.received}`,
    );
  }
  if (error instanceof Error) return [error.message];
  return [String(error)];
}
