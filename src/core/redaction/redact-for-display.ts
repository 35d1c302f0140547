import { redactSecrets } from './redact-secrets.js';
import { isSecretName } from './secret-registry.js';

/** Shown instead of a secret value. */
export const REDACTED = '[redacted]';

/** Keys whose values are treated as secrets wherever they appear in a path. */
export const SECRET_KEY_PATTERN = /key|token|secret|password|credential|authorization/i;

/** Deeper than this, a value is shown as `...`: renderings are cut at 80 characters anyway. */
const MAX_DEPTH = 8;

/** Whether `key` names a credential (`GITHUB_TOKEN`, `apiKey`, `Authorization`, `password`). */
function isSecretKey(key: string): boolean {
  return SECRET_KEY_PATTERN.test(key) || isSecretName(key);
}

/**
 * A copy of `value` fit to be shown in an error message, made *before* any rendering is cut
 * short (a cut secret no longer matches in full, so it could not be scrubbed afterwards): every
 * string under a secret-looking key (`env.GITHUB_TOKEN`, `headers.Authorization`) becomes
 * `[redacted]`, strings holding JSON (an MCP config given as a string) are redacted inside, and
 * every other string goes through `redactSecrets` (registered secret values, key-shaped text).
 * Plain objects and arrays are copied; other objects are returned as they are.
 *
 * @example
 * ```ts
 * redactForDisplay({ command: 'npx', env: { GITHUB_TOKEN: 'ghp_...' } });
 * // { command: 'npx', env: { GITHUB_TOKEN: '[redacted]' } }
 * ```
 * @internal
 */
export function redactForDisplay(value: unknown): unknown {
  return redact(value, false, 0);
}

function redact(value: unknown, underSecretKey: boolean, depth: number): unknown {
  if (typeof value === 'string') return underSecretKey ? REDACTED : redactString(value, depth);
  if (typeof value !== 'object' || value === null) return value;
  if (depth >= MAX_DEPTH) return '...';
  if (Array.isArray(value)) return value.map((item) => redact(item, underSecretKey, depth + 1));
  const proto = Object.getPrototypeOf(value) as unknown;
  if (proto !== Object.prototype && proto !== null) return value;
  return Object.fromEntries(
    Object.entries(value).map(([key, item]) => [
      key,
      redact(item, underSecretKey || isSecretKey(key), depth + 1),
    ]),
  );
}

/** A string, scrubbed; one holding a JSON object or array is redacted inside, key by key. */
function redactString(text: string, depth: number): string {
  const start = text.trimStart()[0];
  if (start === '{' || start === '[') {
    try {
      const parsed = JSON.parse(text) as unknown;
      const redacted = redact(parsed, false, depth + 1);
      const json = JSON.stringify(redacted);
      // Re-serialised only when something was hidden, so the value is shown as it was given.
      if (json !== JSON.stringify(parsed)) return redactSecrets(json);
    } catch {
      // Not JSON after all: scrubbed as text below.
    }
  }
  return redactSecrets(text);
}
