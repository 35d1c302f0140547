import type { ClaudeActorsError } from '../../core/errors/claude-actors-error.js';
import type { ResultMessage } from '../../protocol/cli-message.js';

/** How an admitted session turn ended, for the admission side's accounting. */
export type TurnOutcome =
  | {
      readonly ok: true;
      readonly result: ResultMessage;
      readonly turnCostUsd: number;
      readonly durationMs: number;
    }
  | { readonly ok: false; readonly error: ClaudeActorsError; readonly durationMs: number };

/**
 * Admission and accounting of a session's turns (a runtime's rate limiter, circuit breaker and
 * budget). Each turn is admitted before its line reaches the CLI, in the order sent; a refusal
 * fails that turn with the refusal's error.
 */
export interface TurnAdmission {
  /** Resolves when the turn may start; rejects to refuse it. */
  admit(turnId: string): Promise<void>;
  /** The admitted turn ended: free its permit and count its cost. */
  settled(turnId: string, outcome: TurnOutcome): void;
}
