import type { SpawnClaudeOptions } from '../transport/spawn-claude.js';

/**
 * The configuration a process was started with, as a key: executable, argv, environment and
 * working directory. The prompt is not part of it (it goes to stdin), so any query with the same
 * options can use a process started for another.
 */
export function poolKey(options: SpawnClaudeOptions): string {
  const env = Object.entries(options.env).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return JSON.stringify([options.executable, options.args, env, options.cwd ?? null]);
}
