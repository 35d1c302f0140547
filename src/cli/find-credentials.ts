import { readFile, stat } from 'node:fs/promises';
import { homedir } from 'node:os';
import { join } from 'node:path';

type Env = Readonly<Record<string, string | undefined>>;

/** The variables that carry credentials the claude CLI accepts. */
export const CREDENTIAL_VARIABLES = [
  'ANTHROPIC_API_KEY',
  'ANTHROPIC_AUTH_TOKEN',
  'CLAUDE_CODE_OAUTH_TOKEN',
] as const;

/** Switches to a cloud provider, whose own credentials (AWS, Google, Azure) the CLI then uses. */
export const PROVIDER_VARIABLES = [
  'CLAUDE_CODE_USE_BEDROCK',
  'CLAUDE_CODE_USE_VERTEX',
  'CLAUDE_CODE_USE_FOUNDRY',
] as const;

/** Where the claude CLI reads the settings an administrator manages, per platform. */
export function managedSettingsFiles(platform: NodeJS.Platform = process.platform): string[] {
  if (platform === 'darwin')
    return ['/Library/Application Support/ClaudeCode/managed-settings.json'];
  if (platform === 'win32') {
    return [
      'C:\\Program Files\\ClaudeCode\\managed-settings.json',
      'C:\\ProgramData\\ClaudeCode\\managed-settings.json',
    ];
  }
  return ['/etc/claude-code/managed-settings.json'];
}

/**
 * The home folder the claude CLI would use with `env`: its `HOME`, else the OS's idea of it
 * (`os.homedir()`: `USERPROFILE` on Windows, where `HOME` is usually unset).
 */
export function homeOf(env: Env): string {
  const home = env.HOME?.trim();
  return home ? home : homedir();
}

/** Whether a switch variable is turned on (`1`, `true`, …; not empty, `0`, `false`, `no`). */
export const isOn = (value: string | undefined): boolean =>
  value !== undefined && !['', '0', 'false', 'no'].includes(value.trim().toLowerCase());

async function isFile(path: string): Promise<boolean> {
  try {
    return (await stat(path)).isFile();
  } catch {
    return false;
  }
}

/** The name of the first credential variable or provider switch set in `env`, if any. */
function credentialVariableIn(env: Env): string | undefined {
  return (
    CREDENTIAL_VARIABLES.find((name) => (env[name] ?? '').trim() !== '') ??
    PROVIDER_VARIABLES.find((name) => isOn(env[name]))
  );
}

/** Credentials in one settings file: an `apiKeyHelper`, or a credential in its `env` block. */
async function credentialsInSettings(path: string): Promise<string | undefined> {
  let settings: unknown;
  try {
    settings = JSON.parse(await readFile(path, 'utf8'));
  } catch {
    // Absent or unreadable: the CLI gets nothing from it either.
    return undefined;
  }
  if (typeof settings !== 'object' || settings === null) return undefined;
  const { apiKeyHelper, env } = settings as { apiKeyHelper?: unknown; env?: unknown };
  if (typeof apiKeyHelper === 'string' && apiKeyHelper.trim() !== '') {
    return `apiKeyHelper in ${path}`;
  }
  if (typeof env !== 'object' || env === null) return undefined;
  const strings = Object.fromEntries(
    Object.entries(env).filter((entry): entry is [string, string] => typeof entry[1] === 'string'),
  );
  const variable = credentialVariableIn(strings);
  return variable ? `${variable} in the env of ${path}` : undefined;
}

/** Where {@link findCredentials} looks besides the environment. */
export interface CredentialPlaces {
  /** The home folder the CLI would get. @defaultValue `os.homedir()` */
  readonly home?: string | undefined;
  /**
   * The folders the CLI would run in, for their project settings (`.claude/settings.json`,
   * `.claude/settings.local.json`). @defaultValue none
   */
  readonly cwds?: readonly string[] | undefined;
  /** The managed settings files. @defaultValue {@link managedSettingsFiles} of this platform */
  readonly managedSettings?: readonly string[] | undefined;
}

/**
 * Where the claude CLI would find credentials, by name (never the value): a credential
 * variable or a cloud provider switch in `envs`; the login file `<config dir>/.credentials.json`
 * written by `claude /login` (config dir: `CLAUDE_CONFIG_DIR`, else `~/.claude`); or, in the
 * user's `settings.json`, the project settings of each of `cwds` or the managed settings, an
 * `apiKeyHelper` or a credential variable or provider switch in their `env` block.
 * `undefined` when there are none. A login kept in the macOS Keychain cannot be seen here.
 *
 * @param envs - The environments the CLI would get, e.g. the host's and a plan's `env` options.
 * @param places - Where else to look.
 */
export async function findCredentials(
  envs: readonly Env[],
  places: CredentialPlaces = {},
): Promise<string | undefined> {
  for (const env of envs) {
    const variable = credentialVariableIn(env);
    if (variable) return variable;
  }
  const configDir =
    envs.map((env) => env.CLAUDE_CONFIG_DIR?.trim()).find(Boolean) ??
    join(places.home ?? homedir(), '.claude');
  const login = join(configDir, '.credentials.json');
  if (await isFile(login)) return login;
  const settingsFiles = [
    join(configDir, 'settings.json'),
    ...(places.cwds ?? []).flatMap((cwd) => [
      join(cwd, '.claude', 'settings.json'),
      join(cwd, '.claude', 'settings.local.json'),
    ]),
    ...(places.managedSettings ?? managedSettingsFiles()),
  ];
  for (const file of settingsFiles) {
    const found = await credentialsInSettings(file);
    if (found) return found;
  }
  return undefined;
}
