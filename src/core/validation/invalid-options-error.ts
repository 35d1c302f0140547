import { ClaudeActorsError, type CoreErrorCode } from '../errors/claude-actors-error.js';

/** One problem found while validating options. */
export interface OptionIssue {
  /** Dotted path of the option, e.g. `retry.maxAttempts`. */
  readonly path: string;
  /** What was expected. */
  readonly message: string;
  /** The value received, rendered for humans (secrets are never rendered). */
  readonly received: string;
}

/**
 * One issue as a line of a message: `` `maxTurns`: expected a positive integer, got `-1`
 * (number) ``; `(root)` for the value as a whole.
 */
export function describeIssue(issue: OptionIssue): string {
  return `\`${issue.path || '(root)'}\`: ${issue.message}, got ${issue.received}`;
}

/**
 * Options failed validation. Raised before anything is spawned; never retryable.
 *
 * @example
 * `Invalid option \`maxTurns\`: expected a positive integer, got \`-1\` (number)`
 */
export class InvalidOptionsError extends ClaudeActorsError {
  readonly code = 'INVALID_OPTIONS' satisfies CoreErrorCode;
  readonly issues: readonly OptionIssue[];

  constructor(issues: readonly OptionIssue[], subject = 'option') {
    const first = issues[0];
    const head = first ? `Invalid ${subject} ${describeIssue(first)}` : `Invalid ${subject}`;
    const more = issues.length > 1 ? ` (and ${issues.length - 1} more problem(s))` : '';
    super(head + more, { retryable: false });
    this.issues = issues;
  }
}
