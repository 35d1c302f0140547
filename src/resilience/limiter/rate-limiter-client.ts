import type { ActorRef, AnyActorRef } from 'xstate';
import { isActive } from '../../core/actor/is-active.js';
import { requestReply } from '../../core/actor/request-reply.js';
import type { LimiterSignal } from '../../machines/query/classify/to-limiter-signal.js';
import { cancelledIfStopped, cancelledOnAbort } from '../shared/request-cancelled.js';
import type { RateLimiterSnapshot } from './create-rate-limiter.js';
import type {
  Permit,
  PermitUsage,
  RateLimiterEvent,
  RateLimiterReply,
  RateLimiterStateView,
} from './rate-limiter-types.js';

/** A request for a permit. */
export interface AcquireRequest {
  /** Unique among the requests queued or running; usually the query id. */
  readonly requestId: string;
  /** Higher goes first; equal priorities are first come, first served. @defaultValue 0 */
  readonly priority?: number | undefined;
  /** Estimated input + output tokens, for the tokens-per-minute budget. */
  readonly tokens?: number | undefined;
}

/** The Promise API of a rate limiter actor. */
export interface RateLimiterClient {
  /**
   * Waits for a permit.
   * @throws `CancelledError` when `signal` aborts while waiting (the request leaves the
   *   queue) or the limiter stops; `RateLimitQueueFullError` when `maxQueued` is reached.
   */
  acquire(request: AcquireRequest, signal?: AbortSignal): Promise<Permit>;
  /** Frees the permit's concurrency slot and feeds its token usage to the budget. */
  release(requestId: string, outcome?: { readonly usage?: PermitUsage | undefined }): void;
  /** Feeds what Claude said about rate limits (see {@link LimiterSignal}). */
  signal(signal: LimiterSignal): void;
  /** The limiter's state now. */
  state(): RateLimiterStateView;
}

/** Any actor running rate limiter logic. */
export type RateLimiterRef = ActorRef<RateLimiterSnapshot, RateLimiterEvent>;

/**
 * Wraps a rate limiter actor (started with `createActor`, or a supervisor's child) in a Promise
 * API. Requests are events answered by an emitted `limiter.reply`, so they queue behind
 * whatever the limiter is doing and show in the inspector.
 *
 * @example
 * ```ts
 * const permit = await rateLimiterClient(ref).acquire({ requestId: id, priority: 1 }, signal);
 * ```
 */
export function rateLimiterClient(ref: RateLimiterRef | AnyActorRef): RateLimiterClient {
  const send = (event: RateLimiterEvent): void => {
    if (isActive(ref)) ref.send(event);
  };
  return {
    acquire: (request, signal) => {
      const { requestId } = request;
      return requestReply<RateLimiterReply, Permit>(ref, {
        replyType: 'limiter.reply',
        requestId,
        signal,
        send: () =>
          ref.send({
            type: 'ACQUIRE',
            requestId,
            priority: request.priority,
            tokens: request.tokens,
          } satisfies RateLimiterEvent),
        onReply: (reply) => {
          if (reply.permit) return reply.permit;
          throw reply.error;
        },
        onStopped: cancelledIfStopped('the rate limiter', requestId),
        onAbort: cancelledOnAbort(requestId),
        // The limiter drops it from the queue, or releases it if a grant crossed the abort.
        onAbandon: () => send({ type: 'CANCEL', requestId }),
      });
    },
    release: (requestId, outcome) => send({ type: 'RELEASE', requestId, usage: outcome?.usage }),
    signal: (signal) => send({ type: 'SIGNAL', signal }),
    // Computed now, not at the last event: the windows refill as time passes.
    state: () => (ref.getSnapshot() as RateLimiterSnapshot).core.view(Date.now()),
  };
}
