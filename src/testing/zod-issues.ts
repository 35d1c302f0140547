import type { z } from 'zod';
import { formatPath, renderValue, valueAt } from '../core/validation/format-zod-issues.js';
import type { OptionIssue } from '../core/validation/invalid-options-error.js';

type Issue = z.core.$ZodIssue;
type Path = readonly PropertyKey[];

const REPLY_KINDS = 'text, tool_use, error, cut or hang';

function depth(issues: readonly Issue[]): number {
  return Math.max(-1, ...issues.map((issue) => issue.path.length));
}

/** Orders union branches: the one that got deepest into the value, then the one with fewest. */
function compare(a: readonly Issue[], b: readonly Issue[]): number {
  return depth(b) - depth(a) || a.length - b.length;
}

/**
 * The most telling issue below a union failure: the branch that got furthest into the value
 * (e.g. a reply whose `kind` is known but whose `text` is missing). When branches tie, a union
 * with its own message (the match forms) keeps it; otherwise the first branch speaks.
 */
function explain(issue: Issue, base: Path): { path: Path; issue: Issue } {
  const path = [...base, ...issue.path];
  if (issue.code !== 'invalid_union') return { path, issue };
  const ranked = [...issue.errors].sort(compare);
  const [best, second] = ranked;
  const generic = issue.message === 'Invalid input';
  if (!generic && second !== undefined && best !== undefined && compare(best, second) === 0) {
    return { path, issue };
  }
  // Without branches, zod already points a failed discriminator at the `kind` field itself.
  const first = best?.[0];
  return first === undefined ? { path, issue } : explain(first, path);
}

function describe(issue: Issue, path: Path): string {
  if (issue.code === 'invalid_union' && 'discriminator' in issue) {
    const kinds = issue.discriminator === 'kind' ? ` (expected ${REPLY_KINDS})` : '';
    return `unknown \`${String(path.at(-1))}\`${kinds}`;
  }
  if (issue.code === 'unrecognized_keys') {
    return `unknown field(s) ${issue.keys.map((key) => `\`${key}\``).join(', ')}`;
  }
  // The received value is rendered separately, from the input itself.
  return issue.message
    .replace(/^(Invalid input|Too small|Too big): /, '')
    .replace(/, received \w+$/, '');
}

/**
 * Turns zod issues into {@link OptionIssue}s that name the field path and the received value.
 *
 * @internal
 */
export function toOptionIssues(error: z.ZodError, input: unknown): OptionIssue[] {
  return error.issues.map((raw) => {
    const { path, issue } = explain(raw, []);
    const value = valueAt(input, path);
    return { path: formatPath(path), message: describe(issue, path), received: renderValue(value) };
  });
}
