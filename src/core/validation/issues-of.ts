import type { z } from 'zod';
import { didYouMean } from './did-you-mean.js';
import { formatPath } from './format-path.js';
import { hasSecretKey } from './has-secret-key.js';
import type { OptionIssue } from './invalid-options-error.js';
import { acceptedKeysOf } from './issue-message.js';
import { redactAt, renderValue } from './render-value.js';
import { valueAt } from './value-at.js';

type Issue = z.core.$ZodIssue;
type Path = readonly PropertyKey[];

/** How {@link issuesOf} (and `validate`) render issues. */
export interface IssueOptions {
  /**
   * Whether the value at `path` is a secret, rendered as `[redacted]`. Applied to the value of
   * each issue and to everything nested in it.
   * @defaultValue {@link hasSecretKey}: a path with a secret-looking key
   */
  readonly secrets?: (path: Path, value: unknown) => boolean;
  /**
   * Keys accepted at `path`, to suggest one for an unknown key (`did you mean ...?`).
   * @defaultValue the keys of the strict object that refused the key
   */
  readonly knownKeys?: (path: Path) => readonly string[] | undefined;
  /** What to say of an unknown key instead of `unknown key`, e.g. where to look instead. */
  readonly hint?: (path: Path, key: string) => string | undefined;
}

/** An {@link OptionIssue} with the path it was found at, as keys. */
export interface LocatedIssue {
  readonly at: Path;
  readonly issue: OptionIssue;
}

/**
 * {@link issuesOf}, each issue with its path as keys (to find, say, the task of a plan an
 * issue is in).
 */
export function locateIssues(
  error: z.ZodError,
  input: unknown,
  options: IssueOptions = {},
): LocatedIssue[] {
  const { secrets = hasSecretKey, knownKeys, hint } = options;
  const render = (path: Path) => renderValue(redactAt(valueAt(input, path), path, secrets));
  return error.issues.flatMap((raw): LocatedIssue[] => {
    const { path, issue } = explain(raw, [], input);
    if (issue.code !== 'unrecognized_keys') {
      return [
        {
          at: path,
          issue: { path: formatPath(path), message: issue.message, received: render(path) },
        },
      ];
    }
    return issue.keys.map((key) => {
      const at = [...path, key];
      const said = hint?.(path, key);
      const suggestion = said
        ? undefined
        : didYouMean(key, knownKeys?.(path) ?? acceptedKeysOf(issue));
      const message =
        said ?? `unknown key${suggestion ? ` (did you mean \`${suggestion}\`?)` : ''}`;
      return { at, issue: { path: formatPath(at), message, received: render(at) } };
    });
  });
}

/**
 * Turns a failed {@link safeValidate} into one {@link OptionIssue} per problem, each naming the
 * path (`retry.maxAttempts`) and the value received, read from `input` and rendered like execa
 * does: `` `-1` (number) ``, `` `"abc"` (string) ``, `nothing` for a missing value,
 * `[redacted]` for a secret. An unknown key is one issue each, with `did you mean ...?`; a
 * value that matches no form of a union is explained by the form it came closest to.
 *
 * @param error - The error of `safeValidate(schema, input)` (its messages are ours).
 * @param input - The value that was parsed, as the caller wrote it.
 */
export function issuesOf(error: z.ZodError, input: unknown, options?: IssueOptions): OptionIssue[] {
  return locateIssues(error, input, options).map(({ issue }) => issue);
}

/** Issues that refuse a value outright, rather than find fault with one of the right kind. */
const REFUSALS = new Set<Issue['code']>(['invalid_type', 'invalid_union', 'invalid_value']);

/**
 * How far into the value an issue is: two per path step, plus one when a value of the right
 * kind was there (an unknown key, a number too small), so that a branch that accepted the
 * value beats one that refused it outright or found nothing there.
 */
function reach(issue: Issue, base: Path, input: unknown): number {
  const missing = valueAt(input, [...base, ...issue.path]) === undefined;
  return 2 * issue.path.length + (missing || REFUSALS.has(issue.code) ? 0 : 1);
}

/** Ranks union branches: the one that got furthest into the value, then the one with fewest. */
function ranked(branches: readonly (readonly Issue[])[], base: Path, input: unknown) {
  return branches
    .map((issues) => ({
      issues,
      depth: Math.max(-1, ...issues.map((issue) => reach(issue, base, input))),
    }))
    .sort((a, b) => b.depth - a.depth || a.issues.length - b.issues.length);
}

/**
 * The most telling issue below a union failure: the branch that got furthest into the value
 * (a reply whose `kind` is known but whose `text` is missing). When branches tie, the union's
 * own message speaks (the accepted forms, or the accepted types).
 */
function explain(issue: Issue, base: Path, input: unknown): { path: Path; issue: Issue } {
  const path = [...base, ...issue.path];
  if (issue.code !== 'invalid_union') return { path, issue };
  const [best, second] = ranked(issue.errors, path, input);
  const first = best?.issues[0];
  if (best === undefined || first === undefined) return { path, issue };
  const tie =
    second !== undefined &&
    second.depth === best.depth &&
    second.issues.length === best.issues.length;
  return tie ? { path, issue } : explain(first, path, input);
}
