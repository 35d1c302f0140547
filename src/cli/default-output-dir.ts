import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';

/** The folder under the current directory that `run` writes to when `--output` is not given. */
const DEFAULT_OUTPUT_ROOT = 'claude-actors-output';

/** `My plan: v2` → `my-plan-v2`; `run` when nothing usable is left. */
function slug(name: string): string {
  const text = name
    .toLowerCase()
    .replace(/[^a-z0-9_-]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 60)
    .replace(/-+$/, '');
  return text || 'run';
}

/**
 * Where a run's report and outputs go without `--output`: `claude-actors-output/<name>`
 * (relative to `cwd`), or `<name>-2`, `<name>-3`… when an earlier run already used it, so no
 * earlier output is overwritten.
 *
 * @param name - The plan's name, else the plan file's name.
 */
export function defaultOutputDir(name: string, cwd: string = process.cwd()): string {
  const base = join(DEFAULT_OUTPUT_ROOT, slug(name));
  let candidate = base;
  for (let n = 2; existsSync(resolve(cwd, candidate)); n++) candidate = `${base}-${n}`;
  return candidate;
}

/**
 * The folder of the latest run that wrote to the default place: the last of
 * `claude-actors-output/<name>`, `<name>-2`, `<name>-3`… that exists, or `undefined`. What
 * `run --resume` without `--output` continues in (its journal is there).
 *
 * @param name - The plan's name, else the plan file's name.
 */
export function latestOutputDir(name: string, cwd: string = process.cwd()): string | undefined {
  const base = join(DEFAULT_OUTPUT_ROOT, slug(name));
  let latest: string | undefined;
  for (let n = 1, candidate = base; existsSync(resolve(cwd, candidate)); n++) {
    latest = candidate;
    candidate = `${base}-${n + 1}`;
  }
  return latest;
}
