import { accessSync, constants, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { delimiter, dirname, join } from 'node:path';
import { ExecutableNotFoundError } from '../errors/executable-not-found-error.js';

/** Environment variable that names the CLI executable when no option does. */
export const EXECUTABLE_ENV_VAR = 'CLAUDE_ACTORS_CLI';

/** Where {@link resolveExecutable} looks, in order. */
export interface ResolveExecutableOptions {
  /** An explicit path: wins over everything else. */
  readonly executable?: string | undefined;
  /** The environment to read {@link EXECUTABLE_ENV_VAR} and `PATH` from. @defaultValue `process.env` */
  readonly env?: Readonly<Record<string, string | undefined>>;
  /** Where node_modules resolution starts. @defaultValue this package's own location */
  readonly resolveFrom?: string;
}

/** The placeholder npm ships before the postinstall copies the native binary is tiny. */
const MIN_BINARY_BYTES = 1024 * 1024;

function isExecutable(path: string): boolean {
  try {
    accessSync(path, constants.X_OK);
    return statSync(path).isFile();
  } catch {
    return false;
  }
}

function fromNodeModules(resolveFrom: string, tried: string[]): string | undefined {
  const require = createRequire(resolveFrom);
  let pkgDir: string;
  try {
    pkgDir = dirname(require.resolve('@anthropic-ai/claude-code/package.json'));
  } catch {
    tried.push('@anthropic-ai/claude-code in node_modules (not installed)');
    return undefined;
  }
  const wrapper = join(pkgDir, 'bin', 'claude.exe');
  if (isExecutable(wrapper) && statSync(wrapper).size >= MIN_BINARY_BYTES) return wrapper;
  tried.push(`${wrapper} (missing or a placeholder: did its postinstall run?)`);
  // The native binary also lives in a per-platform optional dependency.
  const platformPkg = `@anthropic-ai/claude-code-${process.platform}-${process.arch}`;
  try {
    const nativeDir = dirname(
      createRequire(join(pkgDir, 'package.json')).resolve(`${platformPkg}/package.json`),
    );
    const native = join(nativeDir, process.platform === 'win32' ? 'claude.exe' : 'claude');
    if (isExecutable(native)) return native;
    tried.push(native);
  } catch {
    tried.push(`${platformPkg} (not installed)`);
  }
  return undefined;
}

function fromPath(pathVar: string | undefined, tried: string[]): string | undefined {
  for (const dir of (pathVar ?? '').split(delimiter)) {
    if (!dir) continue;
    const candidate = join(dir, 'claude');
    if (isExecutable(candidate)) return candidate;
  }
  tried.push('`claude` on PATH');
  return undefined;
}

/**
 * Finds the Claude Code CLI: the `executable` option, then `$CLAUDE_ACTORS_CLI`, then
 * `@anthropic-ai/claude-code` in node_modules, then `claude` on `PATH`.
 *
 * @throws {@link ExecutableNotFoundError} listing every place tried.
 */
export function resolveExecutable(options: ResolveExecutableOptions = {}): string {
  const env = options.env ?? process.env;
  const tried: string[] = [];
  for (const [label, candidate] of [
    ['executable option', options.executable],
    [`$${EXECUTABLE_ENV_VAR}`, env[EXECUTABLE_ENV_VAR]],
  ] as const) {
    if (!candidate) continue;
    if (isExecutable(candidate)) return candidate;
    tried.push(`${label} ${candidate} (not an executable file)`);
    // An explicit choice that is wrong must not silently fall through to another binary.
    throw new ExecutableNotFoundError(tried);
  }
  const found =
    fromNodeModules(options.resolveFrom ?? import.meta.url, tried) ?? fromPath(env.PATH, tried);
  if (found) return found;
  throw new ExecutableNotFoundError(tried);
}
