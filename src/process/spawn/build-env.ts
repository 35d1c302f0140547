import { registerSecrets, secretEnvValues } from '../../core/redaction/secret-registry.js';
/** What {@link buildEnv} starts from and adds. */
export interface BuildEnvOptions {
  /** The host's environment. @defaultValue `process.env` */
  readonly parent?: Readonly<Record<string, string | undefined>>;
  /** Pass the whole parent environment instead of the minimal set. @defaultValue false */
  readonly inheritEnv?: boolean;
  /** Added last; a value of `undefined` removes the variable. */
  readonly extra?: Readonly<Record<string, string | undefined>>;
}

/** Exact names the CLI (or the tools it runs) needs from the host. */
const PASSED_NAMES = new Set([
  'PATH',
  'HOME',
  'USER',
  'LOGNAME',
  'SHELL',
  'TERM',
  'LANG',
  'LANGUAGE',
  'TZ',
  'TMPDIR',
  'TMP',
  'TEMP',
  'SYSTEMROOT',
  'COMSPEC',
  'USERPROFILE',
  'APPDATA',
  'LOCALAPPDATA',
  'NODE_EXTRA_CA_CERTS',
  'SSL_CERT_FILE',
  'SSL_CERT_DIR',
  'HTTP_PROXY',
  'HTTPS_PROXY',
  'NO_PROXY',
  'http_proxy',
  'https_proxy',
  'no_proxy',
  'CLOUD_ML_REGION',
  'DISABLE_TELEMETRY',
  'DISABLE_ERROR_REPORTING',
  'DISABLE_AUTOUPDATER',
  'MCP_TIMEOUT',
  'MCP_TOOL_TIMEOUT',
  'BASH_DEFAULT_TIMEOUT_MS',
  'BASH_MAX_TIMEOUT_MS',
]);

/** Prefixes of variable families the CLI reads (credentials, providers, its own settings). */
const PASSED_PREFIXES = [
  'LC_',
  'XDG_',
  'ANTHROPIC_',
  'CLAUDE_',
  'AWS_',
  'GOOGLE_',
  'VERTEX_',
  'OTEL_',
];

/** Never handed to the CLI: Node flags meant for the host would break or slow the child. */
const DROPPED = ['NODE_OPTIONS'];

/**
 * Builds the CLI's environment: a minimal set taken from the host (what the CLI needs to find
 * its tools, credentials and proxies), plus what the caller adds. Passing the whole host
 * environment is opt-in, since it leaks unrelated secrets into a process that runs tools.
 * Every value handed to the CLI under a secret-looking name (host-inherited or the caller's) is
 * registered with `registerSecrets`, so it is scrubbed from everything the library outputs.
 */
export function buildEnv(options: BuildEnvOptions = {}): Record<string, string> {
  const parent = options.parent ?? process.env;
  const env: Record<string, string> = {};
  for (const [name, value] of Object.entries(parent)) {
    if (value === undefined) continue;
    if (
      options.inheritEnv ||
      PASSED_NAMES.has(name) ||
      PASSED_PREFIXES.some((prefix) => name.startsWith(prefix))
    ) {
      env[name] = value;
    }
  }
  for (const name of DROPPED) delete env[name];
  for (const [name, value] of Object.entries(options.extra ?? {})) {
    if (value === undefined) delete env[name];
    else env[name] = value;
  }
  registerSecrets(secretEnvValues(env));
  return env;
}
