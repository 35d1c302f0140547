import { ClaudeActorsError, type ErrorContext } from '../../core/errors/claude-actors-error.js';
import type { ResilienceErrorCode } from './resilience-error-code.js';

/**
 * The circuit breaker refused a query without running it: the Anthropic API failed too often
 * and the breaker is open (or half-open with every probe slot taken). Retryable: try again at
 * {@link CircuitOpenError.retryAt}, or ask the breaker to wait (`waitForHalfOpen`).
 */
export class CircuitOpenError extends ClaudeActorsError {
  /** Always `CIRCUIT_OPEN`. */
  readonly code = 'CIRCUIT_OPEN' satisfies ResilienceErrorCode;
  /** The breaker state that refused: `open`, or `half_open` with no probe slot left. */
  readonly breakerState: 'open' | 'half_open';
  /** When the breaker goes half-open (epoch ms); `undefined` while it is already half-open. */
  readonly retryAt: number | undefined;

  /**
   * @param details - The refusing state and when it ends.
   * @param context - The query refused, when known.
   */
  constructor(
    details: { breakerState: 'open' | 'half_open'; retryAt?: number | undefined },
    context: ErrorContext = {},
  ) {
    const when =
      details.retryAt === undefined
        ? 'Its probe queries are running; try again when they finish'
        : `It lets a probe query through at ${new Date(details.retryAt).toISOString()}`;
    super(
      `The circuit breaker is ${details.breakerState === 'open' ? 'open' : 'half-open'} ` +
        `after repeated Anthropic API failures, so the query was not started. ${when}, ` +
        'or pass `waitForHalfOpen: true` to wait.',
      { ...context, retryable: true },
    );
    this.breakerState = details.breakerState;
    this.retryAt = details.retryAt;
  }

  override retryAfterMs(now: number): number | undefined {
    return this.retryAt === undefined ? undefined : Math.max(0, this.retryAt - now);
  }
}
