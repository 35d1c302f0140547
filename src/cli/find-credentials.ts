import { readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';

type Env = Readonly<Record<string, string | undefined>>;

/** The variables that carry credentials the claude CLI accepts. */
export const CREDENTIAL_VARIABLES = [
  'ANTHROPIC_API_KEY',
  'ANTHROPIC_AUTH_TOKEN',
  'CLAUDE_CODE_OAUTH_TOKEN',
] as const;

/** Switches to a cloud provider, whose own credentials (AWS, Google, Azure) the CLI then uses. */
const PROVIDER_VARIABLES = [
  'CLAUDE_CODE_USE_BEDROCK',
  'CLAUDE_CODE_USE_VERTEX',
  'CLAUDE_CODE_USE_FOUNDRY',
] as const;

const isOn = (value: string | undefined): boolean =>
  value !== undefined && !['', '0', 'false', 'no'].includes(value.trim().toLowerCase());

async function isFile(path: string): Promise<boolean> {
  try {
    return (await stat(path)).isFile();
  } catch {
    return false;
  }
}

async function hasApiKeyHelper(settingsPath: string): Promise<boolean> {
  try {
    const settings = JSON.parse(await readFile(settingsPath, 'utf8')) as { apiKeyHelper?: unknown };
    return typeof settings.apiKeyHelper === 'string' && settings.apiKeyHelper.trim() !== '';
  } catch {
    return false;
  }
}

/**
 * Where the claude CLI would find credentials, by name (never the value): a credential
 * variable, a cloud provider switch, the login file `<config dir>/.credentials.json` written
 * by `claude /login` (config dir: `CLAUDE_CONFIG_DIR`, else `~/.claude`), or an
 * `apiKeyHelper` in its `settings.json`. `undefined` when there are none.
 *
 * @param envs - The environments the CLI would get, e.g. the host's and a plan's `env` options.
 * @param home - The home folder the CLI would get.
 */
export async function findCredentials(
  envs: readonly Env[],
  home: string | undefined,
): Promise<string | undefined> {
  for (const env of envs) {
    const variable = CREDENTIAL_VARIABLES.find((name) => (env[name] ?? '').trim() !== '');
    if (variable) return variable;
    const provider = PROVIDER_VARIABLES.find((name) => isOn(env[name]));
    if (provider) return provider;
  }
  const configDir =
    envs.map((env) => env.CLAUDE_CONFIG_DIR).find(Boolean) ??
    (home ? join(home, '.claude') : undefined);
  if (configDir === undefined) return undefined;
  const login = join(configDir, '.credentials.json');
  if (await isFile(login)) return login;
  const settings = join(configDir, 'settings.json');
  if (await hasApiKeyHelper(settings)) return `apiKeyHelper in ${settings}`;
  return undefined;
}
