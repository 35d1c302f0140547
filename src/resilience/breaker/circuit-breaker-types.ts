import type { CircuitOpenError } from '../errors/circuit-open-error.js';
import type { BreakerOutcome, BreakerState } from './breaker-state.js';

/** A circuit breaker's context: plain JSON, times in epoch ms. */
export interface BreakerContext {
  /** The policy's state (see `BreakerPolicy`). */
  readonly policyState: unknown;
  /** When the current state began. */
  readonly since: number;
  /** When an open breaker goes half-open. */
  readonly retryAt: number | undefined;
  /** Openings in a row; 0 while closed. */
  readonly openings: number;
  /** Probe queries let through while half-open and not yet recorded. */
  readonly probes: readonly string[];
  /** Probes that succeeded in this half-open period. */
  readonly probesSucceeded: number;
  /** Queries that asked to wait, in arrival order. */
  readonly waiters: readonly string[];
  /**
   * What `circuitBreakerClient(ref).state()` shows: the state and the policy's counters, as of
   * the last change (recomputed by every transition that changes the context).
   */
  readonly view: BreakerState;
}

/** Events a circuit breaker accepts (sent by `circuitBreakerClient`). */
export type CircuitBreakerEvent =
  | {
      readonly type: 'ALLOW';
      readonly requestId: string;
      readonly waitForHalfOpen?: boolean | undefined;
    }
  | {
      readonly type: 'RECORD';
      readonly requestId: string;
      readonly outcome: BreakerOutcome;
    }
  /** Stop waiting; a probe slot already given is freed. */
  | { readonly type: 'CANCEL'; readonly requestId: string }
  /** @internal The reset timeout elapsed. */
  | { readonly type: 'RESET_TIMEOUT' };

/** The answer to an `ALLOW`. */
export type CircuitBreakerReply =
  | { readonly type: 'breaker.reply'; readonly requestId: string; readonly error?: undefined }
  | {
      readonly type: 'breaker.reply';
      readonly requestId: string;
      readonly error: CircuitOpenError;
    };

/** Events a circuit breaker emits (`ref.on(type, ...)`). */
export type CircuitBreakerEmitted =
  | CircuitBreakerReply
  | { readonly type: 'breaker.state_changed'; readonly state: BreakerState };
