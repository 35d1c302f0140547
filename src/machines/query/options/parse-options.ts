import { registerOptionSecrets } from '../../../core/redaction/secret-registry.js';
import { hasSecretKey } from '../../../core/validation/has-secret-key.js';
import { InvalidOptionsError } from '../../../core/validation/invalid-options-error.js';
import { issuesOf } from '../../../core/validation/issues-of.js';
import { safeValidate } from '../../../core/validation/validate.js';
import { agentSdkHint, normalizeAgentSdkOptions, sdkPath } from './agent-sdk-options.js';
import { QueryOptionsSchema, type ResolvedQueryOptions } from './query-options.js';

type Path = readonly PropertyKey[];

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
 * library; everything inside works on the result. A `canUseTool` callback turns on
 * `permissionPromptTool: 'stdio'`. Registers the options' `apiKey` and
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
  const parsed = safeValidate(QueryOptionsSchema, value);
  if (parsed.success) {
    const options = parsed.data;
    // The CLI asks `canUseTool` through control requests only with `--permission-prompt-tool stdio`.
    if (options.canUseTool && options.permissionPromptTool === undefined) {
      return { ...options, permissionPromptTool: 'stdio' };
    }
    return options;
  }
  const issues = issuesOf(parsed.error, value, {
    secrets: isOptionSecret,
    hint: (path, key) => (path.length === 0 ? agentSdkHint(key) : undefined),
  });
  // An option given under its Agent SDK name is named so in the error.
  throw new InvalidOptionsError(
    issues.map((issue) => ({ ...issue, path: sdkPath(issue.path, renamed) })),
  );
}
