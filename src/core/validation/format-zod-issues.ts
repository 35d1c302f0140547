import type { z } from 'zod';
import { REDACTED, redactForDisplay, SECRET_KEY_PATTERN } from '../redaction/redact-for-display.js';
import { redactSecrets } from '../redaction/redact-secrets.js';
import type { OptionIssue } from './invalid-options-error.js';

type Issue = z.core.$ZodIssue;
type Path = readonly PropertyKey[];

export { REDACTED, SECRET_KEY_PATTERN };

/** Options of {@link formatZodIssues}. */
export interface FormatZodIssuesOptions {
  /**
   * Whether the value at `path` is a secret, rendered as `[redacted]`. Applied to the value of
   * each issue and to everything nested in it.
   * @defaultValue a path with a key matching {@link SECRET_KEY_PATTERN}
   */
  readonly isSecret?: (path: Path, value: unknown) => boolean;
  /** Keys accepted at `path`, to suggest one for an unknown key (`did you mean ...?`). */
  readonly knownKeys?: (path: Path) => readonly string[] | undefined;
  /** What to say of an unknown key instead of `unknown key`, e.g. where to look instead. */
  readonly unknownKeyHint?: (path: Path, key: string) => string | undefined;
}

/** Whether any key of `path` matches {@link SECRET_KEY_PATTERN}. */
export function hasSecretKey(path: Path): boolean {
  return path.some((key) => typeof key === 'string' && SECRET_KEY_PATTERN.test(key));
}

/**
 * Turns a zod error into one {@link OptionIssue} per problem, each naming the path and the value
 * received, rendered like execa does: `` `-1` (number) ``, `` `"abc"` (string) ``, arrays and
 * objects as short JSON, `nothing` for a missing value, `[redacted]` for a secret.
 *
 * @param error - The error of `schema.safeParse(input)`.
 * @param input - The value that was parsed: values are read from it, not from the error.
 * @example
 * ```ts
 * const parsed = schema.safeParse(input);
 * if (!parsed.success) throw new InvalidOptionsError(formatZodIssues(parsed.error, input));
 * ```
 */
export function formatZodIssues(
  error: z.ZodError,
  input: unknown,
  options: FormatZodIssuesOptions = {},
): OptionIssue[] {
  const { isSecret = hasSecretKey, knownKeys, unknownKeyHint } = options;
  const render = (path: Path): string => renderValue(redact(valueAt(input, path), path, isSecret));
  return error.issues.flatMap((issue): OptionIssue[] => {
    if (issue.code === 'unrecognized_keys') {
      return issue.keys.map((key) => {
        const path = [...issue.path, key];
        const hint = unknownKeyHint?.(issue.path, key);
        const suggestion = hint ? undefined : closest(key, knownKeys?.(issue.path) ?? []);
        return {
          path: formatPath(path),
          message: hint ?? `unknown key${suggestion ? ` (did you mean \`${suggestion}\`?)` : ''}`,
          received: render(path),
        };
      });
    }
    const value = valueAt(input, issue.path);
    return [
      {
        path: formatPath(issue.path),
        message: describeIssue(issue, value),
        received: render(issue.path),
      },
    ];
  });
}

/** `rules[0].reply.kind` from `['rules', 0, 'reply', 'kind']`; odd keys are quoted. */
export function formatPath(path: Path): string {
  return path
    .map((key, i) => {
      if (typeof key === 'number') return `[${key}]`;
      const name = String(key);
      if (!/^[A-Za-z_$][\w$]*$/.test(name)) return `[${JSON.stringify(name)}]`;
      return i === 0 ? name : `.${name}`;
    })
    .join('');
}

/**
 * A value rendered for an error message: `` `-1` (number) ``, `` `"abc"` (string) ``,
 * `` `[1,2]` (array) ``, `nothing` for `undefined`; long renderings are cut. Secrets are
 * redacted before the cut (a secret cut in half could no longer be recognised): strings under
 * secret-looking keys, inside JSON strings too, registered secret values and key-shaped text.
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

const TYPE_NAMES: Readonly<Record<string, string>> = { int: 'integer', record: 'object' };

/** zod's own English messages; any other message was written for the schema and is kept. */
const ZOD_DEFAULT_MESSAGE = /^(Invalid|Too small|Too big|Unrecognized)\b/;

function describeIssue(issue: Issue, value: unknown): string {
  if (!ZOD_DEFAULT_MESSAGE.test(issue.message)) return issue.message;
  switch (issue.code) {
    case 'invalid_type':
      if (value === undefined) return 'is required';
      return `expected ${article(TYPE_NAMES[issue.expected] ?? issue.expected)}`;
    case 'too_small':
      return describeBound(issue.origin, Number(issue.minimum), issue.inclusive !== false, 'min');
    case 'too_big':
      return describeBound(issue.origin, Number(issue.maximum), issue.inclusive !== false, 'max');
    case 'invalid_format':
      return issue.format === 'uuid'
        ? 'expected a UUID'
        : issue.format === 'url'
          ? 'expected a URL'
          : `expected a string in ${issue.format} format`;
    case 'invalid_value':
      return issue.values.length === 1
        ? `expected ${renderLiteral(issue.values[0])}`
        : `expected one of ${issue.values.map(renderLiteral).join(', ')}`;
    case 'not_multiple_of':
      return `expected a multiple of ${String(issue.divisor)}`;
    case 'invalid_union':
      return 'matches none of the accepted forms';
    default:
      return issue.message;
  }
}

function describeBound(origin: string, limit: number, inclusive: boolean, side: 'min' | 'max') {
  if (origin === 'number' || origin === 'int' || origin === 'bigint') {
    if (side === 'min' && limit === 0) {
      return inclusive ? 'expected a non-negative number' : 'expected a positive number';
    }
    return `expected a number ${side === 'min' ? '>' : '<'}${inclusive ? '=' : ''} ${limit}`;
  }
  const unit = origin === 'string' ? 'character' : 'item';
  if (side === 'min' && limit === 1 && origin === 'string') return 'expected a non-empty string';
  if (side === 'min' && limit === 1) return `expected a non-empty ${origin}`;
  return `expected ${side === 'min' ? 'at least' : 'at most'} ${limit} ${unit}(s)`;
}

function article(noun: string): string {
  return `${/^[aeiou]/i.test(noun) ? 'an' : 'a'} ${noun}`;
}

function renderLiteral(value: unknown): string {
  return typeof value === 'string' ? `"${value}"` : String(value);
}

/** The value found at `path` inside `root`, or `undefined`. */
export function valueAt(root: unknown, path: Path): unknown {
  let value = root;
  for (const key of path) {
    if (typeof value !== 'object' || value === null) return undefined;
    value = (value as Record<PropertyKey, unknown>)[key];
  }
  return value;
}

function redact(value: unknown, path: Path, isSecret: FormatZodIssuesOptions['isSecret']): unknown {
  if (isSecret?.(path, value)) return value === undefined ? undefined : REDACTED;
  if (Array.isArray(value)) return value.map((item, i) => redact(item, [...path, i], isSecret));
  if (typeof value === 'object' && value !== null) {
    return Object.fromEntries(
      Object.entries(value).map(([key, item]) => [key, redact(item, [...path, key], isSecret)]),
    );
  }
  return value;
}

/** The known key closest to a misspelt one, if it is close enough to be a typo. */
function closest(key: PropertyKey, known: readonly string[]): string | undefined {
  const typed = String(key);
  let best: string | undefined;
  let bestDistance = Math.max(2, Math.floor(typed.length / 4)) + 1;
  for (const candidate of known) {
    const distance =
      candidate.toLowerCase() === typed.toLowerCase() ? 0 : levenshtein(typed, candidate);
    if (distance < bestDistance) {
      best = candidate;
      bestDistance = distance;
    }
  }
  return best;
}

function levenshtein(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      current[j] = Math.min(previous[j]! + 1, current[j - 1]! + 1, previous[j - 1]! + cost);
    }
    previous = current;
  }
  return previous[b.length]!;
}
