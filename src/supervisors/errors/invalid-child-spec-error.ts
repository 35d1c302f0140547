import { ClaudeActorsError } from '../../core/errors/claude-actors-error.js';
import type { SupervisorErrorCode } from './supervisor-error-code.js';

/** OTP's reasons for rejecting a child spec or supervisor flags. */
export type ChildSpecErrorReason =
  | 'missing_id'
  | 'missing_start'
  | 'invalid_restart_type'
  | 'invalid_shutdown'
  | 'invalid_child_type'
  | 'invalid_significant'
  | 'invalid_exit_reason'
  | 'duplicate_child_name'
  | 'significant_permanent'
  | 'significant_without_auto_shutdown'
  /** simple_one_for_one with other than exactly one spec (OTP `bad_start_spec`). */
  | 'bad_start_spec'
  | 'invalid_intensity'
  | 'invalid_period'
  | 'invalid_strategy'
  | 'invalid_auto_shutdown'
  | 'invalid_backoff'
  /** A spec that is not an object at all (OTP `invalid_child_spec`). */
  | 'invalid_child_spec'
  /** Flags that cannot go together: auto_shutdown with simple_one_for_one (OTP). */
  | 'bad_combination';

/** A child spec or supervisor flag was rejected, with OTP's reason and the offending value. */
export class InvalidChildSpecError extends ClaudeActorsError {
  readonly code = 'INVALID_CHILD_SPEC' satisfies SupervisorErrorCode;
  readonly reason: ChildSpecErrorReason;
  readonly value: unknown;
  readonly childId: string | undefined;

  constructor(reason: ChildSpecErrorReason, value: unknown, childId?: string) {
    const rendered = (() => {
      try {
        return typeof value === 'function'
          ? 'a function'
          : (JSON.stringify(value) ?? String(value));
      } catch {
        return String(value);
      }
    })();
    super(
      `Invalid supervisor ${childId === undefined ? 'flags' : `child spec \`${childId}\``}: ${reason} (got ${rendered})`,
      { retryable: false },
    );
    this.reason = reason;
    this.value = value;
    this.childId = childId;
  }
}
