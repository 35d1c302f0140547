/**
 * A circuit breaker's state, as a discriminated union on `state`. Times are epoch ms.
 */
export type BreakerState =
  | {
      /** Queries run; API failures are counted by the policy. */
      readonly state: 'closed';
      readonly since: number;
      /** The policy's counters, e.g. `{ failures: 2 }` or `{ calls: 40, failures: 9 }`. */
      readonly policy: Readonly<Record<string, number>>;
    }
  | {
      /** Queries fail fast with `CircuitOpenError`, or wait if they asked to. */
      readonly state: 'open';
      readonly since: number;
      /** When it goes half-open. */
      readonly retryAt: number;
      /** Openings in a row (1 for the first), which grows an exponential reset timeout. */
      readonly openings: number;
      /** Queries waiting for half-open. */
      readonly waiting: number;
    }
  | {
      /** A few probe queries run; all succeed → closed, one API failure → open again. */
      readonly state: 'half_open';
      readonly since: number;
      readonly probesInFlight: number;
      readonly probesSucceeded: number;
      readonly probesRequired: number;
      readonly openings: number;
      /** Queries waiting for the breaker to close. */
      readonly waiting: number;
    };

/** The outcome of a query, as recorded by the breaker. */
export type BreakerOutcome =
  | { readonly ok: true }
  | { readonly ok: false; readonly error: unknown };
