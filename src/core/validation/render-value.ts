import { REDACTED, redactForDisplay } from '../redaction/redact-for-display.js';
import { redactSecrets } from '../redaction/redact-secrets.js';

/**
 * A value rendered for an error message, as execa does: `` `-1` (number) ``,
 * `` `"abc"` (string) ``, `` `[1,2]` (array) ``, `nothing` for `undefined`; long renderings are
 * cut. Secrets are redacted before the cut (a secret cut in half could no longer be
 * recognised): strings under secret-looking keys, inside JSON strings too, registered secret
 * values and key-shaped text.
 */
export function renderValue(value: unknown): string {
  if (value === undefined) return 'nothing';
  if (value === REDACTED) return REDACTED;
  if (typeof value === 'function') return 'a function';
  if (value instanceof RegExp) return `\`${redactSecrets(String(value))}\` (RegExp)`;
  const shown = redactForDisplay(value);
  let text: string;
  try {
    text =
      typeof shown === 'number' || typeof shown === 'bigint'
        ? String(shown)
        : (JSON.stringify(shown, (_key, v: unknown) => (typeof v === 'bigint' ? String(v) : v)) ??
          String(shown));
  } catch {
    text = String(shown);
  }
  // Again on the whole text (objects kept as they are render through `toJSON` / `toString`),
  // and before the cut: after it, the start of a secret left in would not match.
  text = redactSecrets(text);
  if (text.length > 80) text = `${text.slice(0, 77)}...`;
  const type = value === null ? 'null' : Array.isArray(value) ? 'array' : typeof value;
  return `\`${text}\` (${type})`;
}

/**
 * `value` with everything `isSecret` says is a secret (by its path below `path`) replaced by
 * `[redacted]`, for {@link renderValue}.
 */
export function redactAt(
  value: unknown,
  path: readonly PropertyKey[],
  isSecret: (path: readonly PropertyKey[], value: unknown) => boolean,
): unknown {
  if (isSecret(path, value)) return value === undefined ? undefined : REDACTED;
  if (Array.isArray(value)) return value.map((item, i) => redactAt(item, [...path, i], isSecret));
  if (typeof value === 'object' && value !== null) {
    return Object.fromEntries(
      Object.entries(value).map(([key, item]) => [key, redactAt(item, [...path, key], isSecret)]),
    );
  }
  return value;
}
