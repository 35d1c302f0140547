import type { ClaudeActorsError } from '../../../core/errors/claude-actors-error.js';
import type { ResultMessage } from '../../../protocol/cli-message.js';
import type { QueryUsage } from '../query-types.js';

/**
 * How one attempt ended: `succeeded` (a result without error), `failed` (with its classified
 * error: the CLI's result, its exit, a timeout, a refusal at admission), or `aborted` (cancelled,
 * shut down or stopped before it could end by itself; its error is not an attempt error).
 */
export type AttemptOutcome = 'succeeded' | 'failed' | 'aborted';

/** What one attempt of a query did, as the {@link QueryHistory} keeps it. */
export interface AttemptRecord {
  /** 1-based. */
  readonly attempt: number;
  readonly outcome: AttemptOutcome;
  /** Why a `failed` attempt failed. */
  readonly error: ClaudeActorsError | undefined;
  /** The CLI's result message of the attempt, when it sent one. */
  readonly result: ResultMessage | undefined;
  /**
   * What a `succeeded` attempt's structured output is: the value the `outputSchema` parsed,
   * or the CLI's own `structured_output` without a schema.
   */
  readonly structuredOutput: unknown;
  /** The session the attempt ran in (the last one known, when it said none). */
  readonly sessionId: string | undefined;
  /** What the attempt cost (the result's `total_cost_usd`, 0 without a result). */
  readonly costUsd: number;
  readonly usage: QueryUsage;
  /** From the attempt's start (before admission) to its end. */
  readonly durationMs: number;
  /** The backoff waited before the attempt. */
  readonly delayMs: number;
  /**
   * It failed at a rate limit that resets within the park horizon: the query waits for the
   * reset, and the attempt does not count against `retry.maxAttempts`.
   */
  readonly parked: boolean;
}

/** The facts of an attempt that a {@link QueryHistory} takes; cost and usage come from `result`. */
export interface AttemptFacts {
  readonly attempt: number;
  readonly outcome: AttemptOutcome;
  readonly error?: ClaudeActorsError | undefined;
  readonly result?: ResultMessage | undefined;
  readonly structuredOutput?: unknown;
  readonly sessionId?: string | undefined;
  readonly durationMs?: number;
  /** @defaultValue the history's pending delay (the backoff planned before this attempt) */
  readonly delayMs?: number;
  /** @defaultValue false */
  readonly parked?: boolean;
}

/** @internal Sums the usage block of a result message. */
export function usageOf(result: ResultMessage | undefined): QueryUsage {
  const usage = (result?.usage ?? {}) as Record<string, unknown>;
  const num = (key: string): number =>
    typeof usage[key] === 'number' ? (usage[key] as number) : 0;
  return {
    inputTokens: num('input_tokens'),
    outputTokens: num('output_tokens'),
    cacheReadInputTokens: num('cache_read_input_tokens'),
    cacheCreationInputTokens: num('cache_creation_input_tokens'),
  };
}

/** @internal What a result message says the attempt cost. */
export function costOf(result: ResultMessage | undefined): number {
  return typeof result?.total_cost_usd === 'number' ? result.total_cost_usd : 0;
}
