import type { Observable } from 'rxjs';
import type { AnyActorRef } from 'xstate';
import { isActive } from '../../core/actor/is-active.js';
import { observeActor } from '../../core/actor/observe-actor.js';
import { requestReply } from '../../core/actor/request-reply.js';
import { CancelledError } from '../../core/errors/cancelled-error.js';
import { cancelledIfStopped, cancelledOnAbort } from '../shared/request-cancelled.js';
import type { BreakerOutcome, BreakerState } from './breaker-state.js';
import type { CircuitBreakerEvent, CircuitBreakerReply } from './circuit-breaker-types.js';
import type { CircuitBreakerRef, CircuitBreakerSnapshot } from './create-circuit-breaker.js';

/** A request to run a query through the breaker. */
export interface AllowRequest {
  /** Unique among the requests waiting or running; usually the query id. */
  readonly requestId: string;
  /** While open, wait for half-open (a probe slot) instead of failing fast. @defaultValue false */
  readonly waitForHalfOpen?: boolean | undefined;
}

/** The Promise API of a circuit breaker actor. */
export interface CircuitBreakerClient {
  /**
   * Resolves when the query may run.
   * @throws `CircuitOpenError` when open (or half-open with every probe slot taken) and not
   *   waiting; {@link CancelledError} when `signal` aborts while waiting or the breaker stops.
   */
  allow(request: AllowRequest, signal?: AbortSignal): Promise<void>;
  /** Records how an allowed query ended; only API-side failures count. */
  record(requestId: string, outcome: BreakerOutcome): void;
  /** The state now, then each state change; completes when the breaker stops. */
  readonly state$: Observable<BreakerState>;
  /** The state now. */
  state(): BreakerState;
}

function viewOf(snapshot: unknown): BreakerState {
  return (snapshot as CircuitBreakerSnapshot).context.view;
}

/**
 * Wraps a circuit breaker actor (started with `createActor`, or a supervisor's child) in a
 * Promise API. Requests are events answered by an emitted `breaker.reply`.
 *
 * @example
 * ```ts
 * const breaker = circuitBreakerClient(ref);
 * await breaker.allow({ requestId: id });
 * const result = await runQuery(…);
 * breaker.record(id, result.error ? { ok: false, error: result.error } : { ok: true });
 * ```
 */
export function circuitBreakerClient(ref: CircuitBreakerRef | AnyActorRef): CircuitBreakerClient {
  const send = (event: CircuitBreakerEvent): void => {
    if (isActive(ref)) ref.send(event);
  };
  return {
    allow: (request, signal) => {
      const { requestId } = request;
      return requestReply<CircuitBreakerReply, void>(ref, {
        replyType: 'breaker.reply',
        requestId,
        signal,
        send: () =>
          ref.send({
            type: 'ALLOW',
            requestId,
            waitForHalfOpen: request.waitForHalfOpen,
          } satisfies CircuitBreakerEvent),
        onReply: (reply) => {
          if (reply.error) throw reply.error;
        },
        onStopped: cancelledIfStopped('the circuit breaker', requestId),
        onAbort: cancelledOnAbort(requestId),
        onAbandon: () => send({ type: 'CANCEL', requestId }),
      });
    },
    record: (requestId, outcome) => send({ type: 'RECORD', requestId, outcome }),
    state$: observeActor(ref, viewOf, (a, b) => a.state === b.state && a.since === b.since),
    state: () => viewOf(ref.getSnapshot()),
  };
}
