import { execFile } from 'node:child_process';
import { constants } from 'node:fs';
import { access, stat } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import { promisify } from 'node:util';
import {
  CREDENTIAL_VARIABLES,
  type CredentialPlaces,
  findCredentials,
  homeOf,
  isOn,
  PROVIDER_VARIABLES,
} from './find-credentials.js';

const execFileAsync = promisify(execFile);

type Env = Readonly<Record<string, string | undefined>>;

/** What {@link preflight} needs of a plan. */
export interface PreflightPlan {
  readonly defaults?:
    | {
        readonly cwd?: string | undefined;
        readonly env?: Env | undefined;
        readonly baseUrl?: string | undefined;
      }
    | undefined;
  readonly tasks: readonly {
    readonly id: string;
    readonly worktree?: boolean | undefined;
    readonly options?:
      | { readonly env?: Env | undefined; readonly baseUrl?: string | undefined }
      | undefined;
  }[];
}

/** What {@link preflight} checks. */
export interface PreflightInput {
  /** The plan to run, when it could be read. */
  readonly plan?: PreflightPlan | undefined;
  /** Whether the run talks to the real API (and needs credentials). */
  readonly live: boolean;
  /** The folder the report and outputs go to. */
  readonly outputDir?: string | undefined;
  /** A file the command writes at the end (`plan -o`): its folder must be writable. */
  readonly outputFile?: string | undefined;
  /** The host environment. @defaultValue `process.env` */
  readonly env?: Readonly<Record<string, string | undefined>>;
  /** The current directory. @defaultValue `process.cwd()` */
  readonly cwd?: string;
  /** The home folder of the CLI. @defaultValue `env.HOME`, else `os.homedir()` */
  readonly home?: string;
  /** The platform. @defaultValue `process.platform` */
  readonly platform?: NodeJS.Platform;
  /** The managed settings files. @defaultValue those of the platform */
  readonly managedSettings?: readonly string[];
  /**
   * Told one line for what is not a problem but the user should know, e.g. that a macOS
   * Keychain login could not be checked. @defaultValue ignored
   */
  readonly notice?: (line: string) => void;
}

/**
 * The variables that, in a plan's `env`, would take a simulated run to a real provider: the
 * address, credentials, and the folders the CLI reads its settings (and their `env`) from.
 */
const REAL_API_VARIABLES = [
  'ANTHROPIC_BASE_URL',
  ...CREDENTIAL_VARIABLES,
  'HOME',
  'CLAUDE_CONFIG_DIR',
] as const;

/**
 * Checks, before any task runs or is paid for, what would make a run fail halfway: a plan
 * with `worktree: true` tasks outside a git repository, `--live` without credentials, an
 * output folder that cannot be written; and, without `--live`, a plan `env` that would send
 * the simulated run to a real provider. Never writes anything.
 *
 * @returns Every problem found, one line each; empty when the run can start.
 */
export async function preflight(input: PreflightInput): Promise<string[]> {
  const env = input.env ?? process.env;
  const cwd = input.cwd ?? process.cwd();
  const checks = await Promise.all([
    input.live ? credentialsProblem(input, env, cwd) : undefined,
    ...(input.live || !input.plan ? [] : simulatorEnvProblems(input.plan)),
    input.plan ? worktreeProblem(input.plan, cwd) : undefined,
    input.outputDir === undefined
      ? undefined
      : outputDirProblem(resolve(cwd, input.outputDir), `output folder ${input.outputDir}`),
    input.outputFile === undefined
      ? undefined
      : outputFileProblem(resolve(cwd, input.outputFile), input.outputFile),
  ]);
  return checks.filter((problem): problem is string => problem !== undefined);
}

async function credentialsProblem(
  input: PreflightInput,
  env: Env,
  cwd: string,
): Promise<string | undefined> {
  const { plan } = input;
  const home = input.home ?? homeOf(env);
  const places = (taskEnvs: readonly Env[]): CredentialPlaces => {
    // A plan's `env` may give the CLI another home (and so another ~/.claude).
    const taskHome = taskEnvs.map((e) => e.HOME?.trim()).find(Boolean);
    return {
      home: taskHome ?? home,
      cwds: [...new Set([cwd, resolve(cwd, plan?.defaults?.cwd ?? '.')])],
      managedSettings: input.managedSettings,
    };
  };
  if (await findCredentials([env], places([]))) return undefined;
  // Else every task needs them from the `env` option it hands to the CLI.
  const tasks = plan?.tasks ?? [];
  const without: string[] = [];
  for (const task of tasks) {
    const envs = [task.options?.env, plan?.defaults?.env].filter((e): e is Env => e !== undefined);
    if (!(await findCredentials([...envs, env], places(envs)))) without.push(task.id);
  }
  if (tasks.length > 0 && without.length === 0) return undefined;
  const whose =
    tasks.length > 0 && without.length < tasks.length
      ? ` of task(s) ${without.map((id) => `\`${id}\``).join(', ')}`
      : '';
  if ((input.platform ?? process.platform) === 'darwin') {
    // `claude /login` keeps its login in the Keychain there, which cannot be seen without
    // asking for it: the CLI itself says so if there is none.
    input.notice?.(
      `--live: no credentials found for the claude CLI${whose}; going ahead, as a \`claude /login\` login in the macOS Keychain cannot be checked`,
    );
    return undefined;
  }
  return (
    `--live: no credentials for the claude CLI${whose}: set ${CREDENTIAL_VARIABLES.join(', ')}, ` +
    'log in with `claude /login` (it writes ~/.claude/.credentials.json) ' +
    'or set an apiKeyHelper in a settings.json; ' +
    'or leave out --live to run against the built-in simulator'
  );
}

/**
 * Without `--live`, the simulator's address and key are only defaults of the CLI's `env`: a
 * plan's `baseUrl` or `env` that sets the API address, a credential or a cloud provider would
 * send the "simulated" run to a real, paid provider. Names the settings, never their values.
 */
function simulatorEnvProblems(plan: PreflightPlan): string[] {
  type Options = {
    readonly env?: Env | undefined;
    readonly baseUrl?: string | undefined;
    readonly settingSources?: readonly string[] | undefined;
  };
  const scopes: [string, Options | undefined][] = [
    ['plan defaults', plan.defaults],
    ...plan.tasks.map((task): [string, Options | undefined] => [
      `task \`${task.id}\``,
      task.options,
    ]),
  ];
  const problems: string[] = [];
  for (const [scope, options] of scopes) {
    const env = options?.env ?? {};
    const names = [
      ...(options?.baseUrl === undefined ? [] : ['baseUrl']),
      // Setting files may set the API address or a provider in their `env`.
      ...((options?.settingSources?.length ?? 0) > 0 ? ['settingSources'] : []),
      ...REAL_API_VARIABLES.filter((name) => Object.hasOwn(env, name) && env[name] !== undefined),
      ...PROVIDER_VARIABLES.filter((name) => Object.hasOwn(env, name) && isOn(env[name])),
    ].map((name) => (name === 'baseUrl' || name === 'settingSources' ? name : `env.${name}`));
    if (names.length === 0) continue;
    problems.push(
      `${scope}: sets ${names.join(', ')}, which would send this simulated run to a real API: ` +
        'add --live to run against Claude, or remove them to use the built-in simulator',
    );
  }
  return problems;
}

async function worktreeProblem(plan: PreflightPlan, cwd: string): Promise<string | undefined> {
  const ids = plan.tasks.filter((task) => task.worktree === true).map((task) => task.id);
  if (ids.length === 0) return undefined;
  // Where runTaskQueue creates worktrees from.
  const repo = resolve(cwd, plan.defaults?.cwd ?? '.');
  const who = `task(s) ${ids.map((id) => `\`${id}\``).join(', ')} use \`worktree: true\``;
  try {
    if (!(await stat(repo)).isDirectory()) return `${who}, but ${repo} is not a folder`;
  } catch {
    return `${who}, but ${repo} does not exist`;
  }
  try {
    await execFileAsync('git', ['rev-parse', '--is-inside-work-tree'], { cwd: repo });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') {
      return `${who}, but git is not installed (not found on PATH)`;
    }
    return `${who}, but ${repo} is not inside a git repository: run from a git checkout, or drop \`worktree: true\``;
  }
  try {
    await execFileAsync('git', ['rev-parse', '--verify', '--quiet', 'HEAD'], { cwd: repo });
  } catch {
    return `${who}, but the git repository at ${repo} has no commit yet to branch from`;
  }
  return undefined;
}

async function outputFileProblem(absolute: string, given: string): Promise<string | undefined> {
  try {
    if ((await stat(absolute)).isDirectory()) {
      return `output file ${given} cannot be written: it is a folder (give another --output)`;
    }
  } catch {
    // Absent: it is created, with its folder.
  }
  return outputDirProblem(dirname(absolute), `output file ${given}`);
}

async function outputDirProblem(absolute: string, what: string): Promise<string | undefined> {
  const problem = (why: string) => `${what} cannot be written: ${why} (give another --output)`;
  // The nearest existing folder on the way up is where the output folder would be created.
  let current = absolute;
  for (;;) {
    let isDirectory: boolean;
    try {
      isDirectory = (await stat(current)).isDirectory();
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      const parent = dirname(current);
      if ((code === 'ENOENT' || code === 'ENOTDIR') && parent !== current) {
        current = parent;
        continue;
      }
      return problem(`${current}: ${code ?? String(error)}`);
    }
    if (!isDirectory) return problem(`${current} is a file, not a folder`);
    try {
      await access(current, constants.W_OK | constants.X_OK);
    } catch (error) {
      return problem(`${current} is not writable (${(error as NodeJS.ErrnoException).code})`);
    }
    return undefined;
  }
}
