import { readFile } from 'node:fs/promises';
import { basename, extname } from 'node:path';
import type { PlanInput } from '../orchestration/plan/plan-schema.js';
import { CommandLineError } from './command-line-error.js';

/**
 * A plan of independent tasks, one per prompt file; ids from the file names.
 *
 * @throws {@link CommandLineError} naming every file that cannot be read (`prompt file not
 *   found: x.md`) or is empty, not just the first.
 */
export async function planFromPromptFiles(paths: readonly string[]): Promise<PlanInput> {
  const read = await Promise.allSettled(paths.map((path) => readFile(path, 'utf8')));
  const problems = read.flatMap((outcome, i) => {
    if (outcome.status === 'fulfilled') return [];
    const code = (outcome.reason as NodeJS.ErrnoException).code;
    return code === 'ENOENT' || code === 'ENOTDIR'
      ? [`prompt file not found: ${paths[i]}`]
      : [`prompt file ${paths[i]} cannot be read (${code ?? String(outcome.reason)})`];
  });
  read.forEach((outcome, i) => {
    if (outcome.status === 'fulfilled' && outcome.value.trim() === '') {
      problems.push(`prompt file ${paths[i]} is empty`);
    }
  });
  if (problems.length > 0) throw new CommandLineError(problems);
  const seen = new Set<string>();
  const tasks = [];
  for (const [i, path] of paths.entries()) {
    let id =
      basename(path, extname(path))
        .replace(/[^A-Za-z0-9_-]/g, '-')
        .replace(/^-+/, '') || 'task';
    id = id.slice(0, 60);
    for (let n = 2; seen.has(id); n++) id = `${id.replace(/-\d+$/, '')}-${n}`;
    seen.add(id);
    tasks.push({ id, prompt: (read[i] as PromiseFulfilledResult<string>).value });
  }
  return { tasks };
}

/** Whether a path names a plan file rather than a prompt file. */
export function isPlanFile(path: string): boolean {
  return ['.json', '.yaml', '.yml'].includes(extname(path).toLowerCase());
}
