import { ClaudeActorsError, type ErrorContext } from '../../../core/errors/claude-actors-error.js';
import type { QueryErrorCode } from './query-error-code.js';

/** One way the output missed the schema. */
export interface StructuredOutputIssue {
  readonly path: string;
  readonly message: string;
}

/**
 * The query succeeded but its structured output does not match the `outputSchema`. Carries the
 * raw output so nothing the model produced is lost. Not retryable by the query itself (a pattern
 * such as `withRetry` may retry with the validation error as feedback).
 */
export class StructuredOutputError extends ClaudeActorsError {
  readonly code = 'STRUCTURED_OUTPUT_INVALID' satisfies QueryErrorCode;
  /** What the CLI returned: its `structured_output`, or the result text when there was none. */
  readonly raw: unknown;
  readonly issues: readonly StructuredOutputIssue[];

  constructor(raw: unknown, issues: readonly StructuredOutputIssue[], context: ErrorContext = {}) {
    const first = issues[0];
    super(
      `The structured output does not match the schema${first ? `: \`${first.path || '(root)'}\` ${first.message}` : ''}${issues.length > 1 ? ` (and ${issues.length - 1} more)` : ''}`,
      { ...context, retryable: false },
    );
    this.raw = raw;
    this.issues = issues;
  }
}
