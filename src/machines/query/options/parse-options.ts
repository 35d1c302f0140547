import type { z } from 'zod';
import { registerOptionSecrets } from '../../../core/redaction/secret-registry.js';
import { formatZodIssues, hasSecretKey } from '../../../core/validation/format-zod-issues.js';
import { InvalidOptionsError } from '../../../core/validation/invalid-options-error.js';
import { agentSdkHint, normalizeAgentSdkOptions, sdkPath } from './agent-sdk-options.js';
import {
  QueryOptionsSchema,
  type ResolvedQueryOptions,
  RetryOptionsSchema,
  TimeoutOptionsSchema,
} from './query-options.js';

type Path = readonly PropertyKey[];

const KNOWN_KEYS = new Map<string, readonly string[]>([
  ['', Object.keys(QueryOptionsSchema.shape)],
  ['timeouts', Object.keys(TimeoutOptionsSchema.shape)],
  ['retry', Object.keys(RetryOptionsSchema.shape)],
]);

/**
 * Secrets in query options: `apiKey`, and any key that looks like one (`env.GITHUB_TOKEN`, a
 * misspelt `apikey`). A malformed `env` (not an object) may hold anything: redacted whole.
 */
function isOptionSecret(path: Path, value: unknown): boolean {
  if (hasSecretKey(path)) return true;
  return path.length === 1 && path[0] === 'env' && (typeof value !== 'object' || value === null);
}

/**
 * Validates query options and applies their defaults. Call it once, where options enter the
 * library; everything inside works on the result. Registers the options' `apiKey` and
 * secret-looking `env` values with `registerSecrets`, so they are scrubbed from every output.
 *
 * The Agent SDK's names for our options are accepted (`pathToClaudeCodeExecutable`,
 * `additionalDirectories`, `permissionPromptToolName`, `persistSession`, `outputFormat`,
 * `mcpServers`: see `AgentSdkOptionNames`); other SDK options get a pointer to ours instead of
 * "unknown key".
 *
 * @param input - Options as the caller wrote them; `undefined` means all defaults.
 * @returns The options with every default filled in.
 * @throws {@link InvalidOptionsError} listing every problem, each with the option's path and the
 *   value received (secrets shown as `[redacted]`).
 * @example
 * ```ts
 * const options = parseQueryOptions({ model: 'sonnet', maxTurns: 3 });
 * options.retry.maxAttempts; // 3
 * ```
 */
export function parseQueryOptions(input: unknown): ResolvedQueryOptions {
  const given = input === undefined ? {} : input;
  // Known before validation, so that no rendering of any option value can show them.
  registerOptionSecrets(given);
  const { value, renamed } = normalizeAgentSdkOptions(given);
  const parsed = QueryOptionsSchema.safeParse(value);
  if (parsed.success) return parsed.data;
  throw invalidOptions(parsed.error, value, renamed);
}

function invalidOptions(
  error: z.ZodError,
  input: unknown,
  renamed: ReadonlyMap<string, string>,
): InvalidOptionsError {
  const issues = formatZodIssues(error, input, {
    isSecret: isOptionSecret,
    knownKeys: (path) => KNOWN_KEYS.get(path.map(String).join('.')),
    unknownKeyHint: (path, key) => (path.length === 0 ? agentSdkHint(key) : undefined),
  });
  // An option given under its Agent SDK name is named so in the error.
  return new InvalidOptionsError(
    issues.map((issue) => ({ ...issue, path: sdkPath(issue.path, renamed) })),
  );
}
