import type { z } from 'zod';

type RawIssue = z.core.$ZodRawIssue;

const TYPE_NAMES: Readonly<Record<string, string>> = { int: 'integer', record: 'object' };

/**
 * The keys each strict object accepts, by the `keys` array of its unknown-keys issue (zod
 * copies issues, never that array): {@link issueMessage} records them, `issuesOf` reads them
 * for did-you-mean. Weak, so nothing outlives the error.
 */
const ACCEPTED_KEYS = new WeakMap<readonly PropertyKey[], readonly string[]>();

/** The keys accepted where an unknown-keys issue was raised, when its schema tells. @internal */
export function acceptedKeysOf(issue: z.core.$ZodIssueUnrecognizedKeys): readonly string[] {
  return ACCEPTED_KEYS.get(issue.keys) ?? [];
}

/**
 * Our zod error map: every issue zod raises, in our words (`expected a non-negative number`,
 * `is required`, `expected one of "a", "b"`); the value received is not in the message, it is
 * rendered beside it. A message written in the schema (`z.custom(..., { error })`, a refine's
 * message) wins over this map: zod asks the schema first.
 *
 * Pass it per parse, `schema.safeParse(input, { error: issueMessage })`, not through
 * `z.config`, which would change every zod user's messages in the process.
 */
export const issueMessage: z.core.$ZodErrorMap = (issue) => {
  switch (issue.code) {
    case 'invalid_type':
      if (issue.input === undefined) return 'is required';
      return `expected ${article(TYPE_NAMES[issue.expected] ?? issue.expected)}`;
    case 'too_small':
      return bound(issue.origin, Number(issue.minimum), issue.inclusive !== false, 'min');
    case 'too_big':
      return bound(issue.origin, Number(issue.maximum), issue.inclusive !== false, 'max');
    case 'invalid_format':
      return issue.format === 'uuid'
        ? 'expected a UUID'
        : issue.format === 'url'
          ? 'expected a URL'
          : `expected a string in ${issue.format} format`;
    case 'invalid_value':
      return oneOf(issue.values);
    case 'not_multiple_of':
      return `expected a multiple of ${String(issue.divisor)}`;
    case 'unrecognized_keys': {
      const shape = (issue.inst as { _zod?: { def?: { shape?: object } } } | undefined)?._zod?.def
        ?.shape;
      if (shape) ACCEPTED_KEYS.set(issue.keys, Object.keys(shape));
      return `unknown key(s) ${issue.keys.map((key) => `\`${key}\``).join(', ')}`;
    }
    case 'invalid_union':
      return unionMessage(issue);
    default:
      return undefined;
  }
};

function unionMessage(issue: RawIssue & { code: 'invalid_union' }): string {
  if ('discriminator' in issue && typeof issue.discriminator === 'string') {
    const values = (issue.inst as { _zod?: { propValues?: Record<string, Set<unknown>> } })?._zod
      ?.propValues?.[issue.discriminator];
    if (values && values.size > 0) return oneOf([...values]);
  }
  // Every form wanted another type of value: say which types, not just "none matched".
  const types = issue.errors.map((branch) =>
    branch.length === 1 && branch[0]?.code === 'invalid_type' && branch[0].path.length === 0
      ? branch[0].expected
      : undefined,
  );
  if (types.length > 0 && types.every((type) => type !== undefined)) {
    const names = [...new Set(types.map((type) => article(TYPE_NAMES[type!] ?? type!)))];
    return `expected ${names.join(' or ')}`;
  }
  return 'matches none of the accepted forms';
}

function bound(origin: string, limit: number, inclusive: boolean, side: 'min' | 'max'): string {
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

function oneOf(values: readonly unknown[]): string {
  return values.length === 1
    ? `expected ${literal(values[0])}`
    : `expected one of ${values.map(literal).join(', ')}`;
}

function article(noun: string): string {
  return `${/^[aeiou]/i.test(noun) ? 'an' : 'a'} ${noun}`;
}

function literal(value: unknown): string {
  return typeof value === 'string' ? `"${value}"` : String(value);
}
