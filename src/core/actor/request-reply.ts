import type { AnyActorRef } from 'xstate';
import { isActive } from './is-active.js';

/** A reply an actor emits to answer one request. @internal */
export interface Reply {
  readonly type: string;
  readonly requestId: string;
}

/** How one request is sent and how each way it can end becomes its result. @internal */
export interface RequestReplyOptions<R extends Reply, T> {
  /** The type of the event the actor emits to answer. */
  readonly replyType: R['type'];
  /** Unique among the requests waiting on this actor for this reply type. */
  readonly requestId: string;
  /** Sends the request; called once the reply is awaited (a reply may come within the send). */
  readonly send: () => void;
  /** The result of the actor's answer; throw to reject. */
  readonly onReply: (reply: R) => T;
  /**
   * The result when the actor is not running (`not_running`, nothing was sent) or stops before
   * it answers (`stopped`); throw to reject.
   */
  readonly onStopped: (when: 'not_running' | 'stopped') => T;
  /** Aborting stops waiting: before the send nothing is sent, after it `onAbandon` runs. */
  readonly signal?: AbortSignal | undefined;
  /** The result when `signal` aborts; throw to reject. @defaultValue rejects with the reason */
  readonly onAbort?: ((reason: unknown) => T) | undefined;
  /** Stops waiting after `ms` (from the send); `onAbandon` runs, then `onTimeout` settles. */
  readonly timeout?: { readonly ms: number; readonly onTimeout: () => T } | undefined;
  /** The caller gave up (abort, timeout) after the send, e.g. to tell the actor to forget it. */
  readonly onAbandon?: (() => void) | undefined;
}

interface WaiterLike {
  reply(event: Reply): void;
  stopped(): void;
}
type Registry = Map<string, WaiterLike>;

// One listener and one subscription per actor and reply type, routing by requestId: 10,000
// waiting callers must not mean 10,000 listeners called for every reply (or every snapshot).
// They stay for the actor's life, as an actor drops its listeners when it ends: a reply
// usually comes within the request's own send, so listening per request would add and remove
// a listener per request.
const registries = new WeakMap<AnyActorRef, Map<string, Registry>>();

function registryFor(ref: AnyActorRef, replyType: string): Registry {
  let byType = registries.get(ref);
  if (!byType) {
    byType = new Map();
    registries.set(ref, byType);
  }
  const existing = byType.get(replyType);
  if (existing) return existing;
  const registry: Registry = new Map();
  byType.set(replyType, registry);
  ref.on(replyType, (event: Reply) => {
    const waiter = registry.get(event.requestId);
    if (!waiter) return;
    registry.delete(event.requestId);
    waiter.reply(event);
  });
  const stopAll = (): void => {
    const all = [...registry.values()];
    registry.clear();
    for (const waiter of all) waiter.stopped();
  };
  ref.subscribe({ complete: stopAll, error: stopAll });
  return registry;
}

/** How many requests wait for a reply of this type from this actor. @internal */
export function waitingRequests(ref: AnyActorRef, replyType: string): number {
  return registries.get(ref)?.get(replyType)?.size ?? 0;
}

/**
 * Sends a request to an actor and settles with its answer: the event of type `replyType` it
 * emits with the same `requestId`, or the actor stopping first, or the caller giving up
 * (`signal`, `timeout`). Each outcome is mapped by its callback; a callback that throws rejects.
 * The request is sent only if the actor is running and `signal` has not aborted.
 *
 * @throws TypeError (as a rejection) when a request with the same id already waits.
 * @example
 * ```ts
 * const permit = await requestReply<LimiterReply, Permit>(ref, {
 *   replyType: 'limiter.reply',
 *   requestId,
 *   send: () => ref.send({ type: 'ACQUIRE', requestId }),
 *   onReply: (reply) => reply.permit,
 *   onStopped: () => { throw new CancelledError('the rate limiter stopped'); },
 * });
 * ```
 * @internal
 */
export function requestReply<R extends Reply, T>(
  ref: AnyActorRef,
  options: RequestReplyOptions<R, T>,
): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const { requestId, signal } = options;
    if (signal?.aborted) {
      settle(resolve, reject, abortOutcome(options), signal.reason);
      return;
    }
    if (!isActive(ref)) {
      settle(resolve, reject, options.onStopped, 'not_running');
      return;
    }
    const registry = registryFor(ref, options.replyType);
    if (registry.has(requestId)) {
      reject(new TypeError(`A request with requestId \`${requestId}\` is already waiting`));
      return;
    }
    // The common case (no signal, no timeout) allocates one waiter and nothing else: a
    // supervisor started with 100,000 children makes 100,000 requests.
    const waiter = new Waiter(resolve, reject, options);
    registry.set(requestId, waiter);
    if (signal) {
      waiter.onAbort = () => waiter.giveUp(registry, abortOutcome(options), signal.reason);
      signal.addEventListener('abort', waiter.onAbort, { once: true });
    }
    try {
      options.send();
    } catch (error) {
      // Nothing was sent: nothing to wait for, nothing left behind.
      waiter.giveUp(registry, rethrow, error, false);
      return;
    }
    const { timeout } = options;
    // Armed after the send: a reply within the send needs no timer.
    if (timeout && registry.get(requestId) === waiter) {
      waiter.timer = setTimeout(
        () => waiter.giveUp(registry, timeout.onTimeout, undefined),
        timeout.ms,
      );
    }
  });
}

/** Settles with what `outcome(arg)` returns, or rejects with what it throws. */
function settle<T, A>(
  resolve: (value: T) => void,
  reject: (error: unknown) => void,
  outcome: (arg: A) => T,
  arg: A,
): void {
  try {
    resolve(outcome(arg));
  } catch (error) {
    reject(error);
  }
}

function rethrow(error: unknown): never {
  throw error;
}

function abortOutcome<T>(options: {
  readonly onAbort?: ((reason: unknown) => T) | undefined;
}): (reason: unknown) => T {
  return (
    options.onAbort ??
    ((reason: unknown): T => {
      throw reason;
    })
  );
}

/** One waiting request. */
class Waiter<R extends Reply, T> implements WaiterLike {
  onAbort: (() => void) | undefined;
  timer: ReturnType<typeof setTimeout> | undefined;
  readonly #resolve: (value: T) => void;
  readonly #reject: (error: unknown) => void;
  readonly #options: RequestReplyOptions<R, T>;

  constructor(
    resolve: (value: T) => void,
    reject: (error: unknown) => void,
    options: RequestReplyOptions<R, T>,
  ) {
    this.#resolve = resolve;
    this.#reject = reject;
    this.#options = options;
  }

  reply(event: Reply): void {
    this.#done();
    settle(this.#resolve, this.#reject, this.#options.onReply, event as R);
  }

  stopped(): void {
    this.#done();
    settle(this.#resolve, this.#reject, this.#options.onStopped, 'stopped' as const);
  }

  /** The caller gave up: the actor is told (`onAbandon`), then `outcome(arg)` settles. */
  giveUp<A>(registry: Registry, outcome: (arg: A) => T, arg: A, sent = true): void {
    if (registry.get(this.#options.requestId) !== this) return;
    registry.delete(this.#options.requestId);
    this.#done();
    if (sent) this.#options.onAbandon?.();
    settle(this.#resolve, this.#reject, outcome, arg);
  }

  #done(): void {
    if (this.onAbort) this.#options.signal?.removeEventListener('abort', this.onAbort);
    if (this.timer !== undefined) clearTimeout(this.timer);
  }
}
