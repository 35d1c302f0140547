import { buildEnv } from '../../../process/spawn/build-env.js';
import { resolveExecutable } from '../../../process/spawn/resolve-executable.js';
import type { SpawnClaudeOptions } from '../../../process/spawn/spawn-claude.js';
import { claudeProcessEnv } from './claude-process-env.js';
import { privateCliArgs } from './private-cli-args.js';
import type { ResolvedQueryOptions } from './query-options.js';
import { toCliArgs } from './to-cli-args.js';

/**
 * Everything a query's CLI is started with except where its output goes: executable, argv,
 * environment, working directory. Inline MCP configs and settings go in private files, not on
 * argv (see {@link privateCliArgs}). Two queries with equal spawn options can use each other's
 * pre-started process (see `ProcessPool`).
 *
 * @throws {@link ExecutableNotFoundError} when no CLI can be found.
 */
export function spawnOptionsFor(
  options: ResolvedQueryOptions,
  parentEnv: Readonly<Record<string, string | undefined>> = process.env,
): Omit<SpawnClaudeOptions, 'onStdout'> {
  const { args, privateFiles } = privateCliArgs(toCliArgs(options));
  return {
    executable: resolveExecutable({ executable: options.executable, env: parentEnv }),
    args,
    ...(privateFiles.length > 0 ? { privateFiles } : {}),
    env: buildEnv({
      parent: parentEnv,
      inheritEnv: options.inheritEnv,
      extra: claudeProcessEnv(options),
    }),
    cwd: options.cwd,
    stderrTailBytes: options.stderrTailBytes,
    ...(options.stderr ? { onStderr: options.stderr } : {}),
  };
}
