import { SECRET_KEY_PATTERN } from '../redaction/redact-for-display.js';

/**
 * Whether any key of `path` looks like it names a secret (`apiKey`, `env.GITHUB_TOKEN`): the
 * default of `secrets` option of `validate` and `issuesOf`.
 */
export function hasSecretKey(path: readonly PropertyKey[]): boolean {
  return path.some((key) => typeof key === 'string' && SECRET_KEY_PATTERN.test(key));
}
