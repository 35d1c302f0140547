import { readFile } from 'node:fs/promises';
import { basename, extname } from 'node:path';
import type { PlanInput } from '../orchestration/plan/plan-schema.js';

/** A plan of independent tasks, one per prompt file; ids from the file names. */
export async function planFromPromptFiles(paths: readonly string[]): Promise<PlanInput> {
  const seen = new Set<string>();
  const tasks = [];
  for (const path of paths) {
    let id =
      basename(path, extname(path))
        .replace(/[^A-Za-z0-9_-]/g, '-')
        .replace(/^-+/, '') || 'task';
    id = id.slice(0, 60);
    for (let n = 2; seen.has(id); n++) id = `${id.replace(/-\d+$/, '')}-${n}`;
    seen.add(id);
    tasks.push({ id, prompt: await readFile(path, 'utf8') });
  }
  return { tasks };
}

/** Whether a path names a plan file rather than a prompt file. */
export function isPlanFile(path: string): boolean {
  return ['.json', '.yaml', '.yml'].includes(extname(path).toLowerCase());
}
