import { isAbsolute } from 'node:path';
import { outputPathKey } from './output-path-conflicts.js';

/** The report's own file, which no task output may take the place of. */
export const REPORT_FILE = 'report.json';

/**
 * Why `file` cannot name a file inside an output directory, or `undefined` when it can. A
 * valid name is a relative `/`-separated path with no `..` segment, no backslash, no NUL byte,
 * not empty and not the directory itself. Pure: no file system.
 *
 * @example
 * ```ts
 * outputPathProblem('tasks/a.md'); // undefined
 * outputPathProblem('../x'); // 'expected a path inside the output directory (no `..` segment)'
 * ```
 */
export function outputPathProblem(file: unknown): string | undefined {
  if (typeof file !== 'string') return 'expected a relative file path (a string)';
  if (file.trim() === '') return 'expected a non-empty relative file path';
  if (file.includes('\0')) return 'expected a file path without NUL bytes';
  if (file.includes('\\')) return 'expected `/` as the separator, not `\\`';
  if (file.startsWith('/') || /^[A-Za-z]:/.test(file) || isAbsolute(file)) {
    return 'expected a path relative to the output directory, not an absolute one';
  }
  const segments = file.split('/');
  if (segments.includes('..'))
    return 'expected a path inside the output directory (no `..` segment)';
  const named = segments.filter((segment) => segment !== '' && segment !== '.');
  if (named.length === 0 || file.endsWith('/'))
    return 'expected the path of a file, not a directory';
  return undefined;
}

/**
 * Why `file` cannot be a task's `outputFile`, or `undefined` when it can: an
 * {@link outputPathProblem}, or the name of the report itself in any case (`REPORT.json` is the
 * same file on macOS and Windows).
 */
export function taskOutputFileProblem(file: unknown): string | undefined {
  const problem = outputPathProblem(file);
  if (problem) return problem;
  const named = outputPathKey(file as string);
  return named.length === 1 && named[0] === REPORT_FILE
    ? `expected another name than \`${REPORT_FILE}\` (the run report itself)`
    : undefined;
}
