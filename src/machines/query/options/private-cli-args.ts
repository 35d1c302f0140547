import { type PrivateFile, privateFileFor } from '../../../process/spawn/private-files.js';

/** Flags whose inline JSON may carry secrets (MCP servers' env and headers, settings' env). */
const PRIVATE_JSON_FLAGS: ReadonlySet<string> = new Set(['--mcp-config', '--settings']);
/** Every flag of `toCliArgs` starts with `--`; a value never does (JSON, paths, words). */
const isFlag = (arg: string): boolean => arg.startsWith('--');

/**
 * Moves inline JSON values of `--mcp-config` and `--settings` out of argv into private files
 * (see {@link privateFileFor}): argv is world-readable (`ps`, /proc/PID/cmdline), and an MCP
 * server's `env` or `headers` hold tokens. Paths given by the caller stay as they are.
 */
export function privateCliArgs(args: readonly string[]): {
  readonly args: string[];
  readonly privateFiles: PrivateFile[];
} {
  const out: string[] = [];
  const privateFiles: PrivateFile[] = [];
  let inPrivateFlag = false;
  for (const arg of args) {
    if (isFlag(arg)) {
      inPrivateFlag = PRIVATE_JSON_FLAGS.has(arg);
      out.push(arg);
      continue;
    }
    if (inPrivateFlag && arg.trimStart().startsWith('{')) {
      const file = privateFileFor(arg);
      privateFiles.push(file);
      out.push(file.path);
      continue;
    }
    out.push(arg);
  }
  return { args: out, privateFiles };
}
