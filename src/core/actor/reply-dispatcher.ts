import type { AnyActorRef } from 'xstate';

/** A reply an actor emits to answer one request. @internal */
export interface Reply {
  readonly type: string;
  readonly requestId: string;
}

/** What a waiting caller does with its reply, or with the actor stopping first. @internal */
export interface PendingReply<R extends Reply> {
  /** The actor answered. */
  readonly reply: (event: R) => void;
  /** The actor stopped (or failed) before it answered. */
  readonly stopped: () => void;
}

type Registry = Map<string, PendingReply<Reply>>;

// One listener per actor and reply type, routing by requestId: 10,000 waiting callers must not
// mean 10,000 listeners called for every reply.
const registries = new WeakMap<AnyActorRef, Map<string, Registry>>();

function registryFor(ref: AnyActorRef, replyType: string): Registry {
  let byType = registries.get(ref);
  if (!byType) {
    byType = new Map();
    registries.set(ref, byType);
  }
  let registry = byType.get(replyType);
  if (registry) return registry;
  const created: Registry = new Map();
  registry = created;
  byType.set(replyType, created);
  ref.on(replyType, (event: Reply) => {
    const pending = created.get(event.requestId);
    if (!pending) return;
    created.delete(event.requestId);
    pending.reply(event);
  });
  const stopAll = (): void => {
    const all = [...created.values()];
    created.clear();
    for (const pending of all) pending.stopped();
  };
  ref.subscribe({ complete: stopAll, error: stopAll });
  return created;
}

/**
 * Waits for the reply to `requestId`, emitted by `ref` as an event of type `replyType`.
 * Call it before sending the request: the reply may be emitted while the request is handled.
 *
 * @returns A function that stops waiting (for a caller that gave up, e.g. aborted).
 * @internal
 */
export function awaitReply<R extends Reply>(
  ref: AnyActorRef,
  replyType: R['type'],
  requestId: string,
  pending: PendingReply<R>,
): () => void {
  const registry = registryFor(ref, replyType);
  if (registry.has(requestId)) {
    throw new TypeError(`A request with requestId \`${requestId}\` is already waiting`);
  }
  registry.set(requestId, pending as PendingReply<Reply>);
  return () => {
    if (registry.get(requestId) === pending) registry.delete(requestId);
  };
}

/** Whether the actor can still receive events. @internal */
export function isActive(ref: AnyActorRef): boolean {
  return ref.getSnapshot()?.status === 'active';
}
