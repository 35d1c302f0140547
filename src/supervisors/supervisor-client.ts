import type { AnyActorRef } from 'xstate';
import { supervisorStateOf } from './create-supervisor.js';
import { SHUTDOWN_EVENT } from './shutdown-event.js';
import type { SupervisorCall } from './supervisor-call.js';
import type { ChildCounts, ChildInfo, ChildSpec, SupervisorResult } from './types.js';
import { countChildren, whichChildren } from './which-children.js';

/** The dynamic API of a supervisor (OTP's `supervisor` module functions), as Promises. */
export interface SupervisorClient {
  /** OTP `start_child/2`: a spec, or extra start arguments for simple_one_for_one. */
  startChild(
    specOrArgs: ChildSpec | readonly unknown[],
  ): Promise<SupervisorResult<AnyActorRef | undefined>>;
  /** OTP `terminate_child/2`: by id, or by actor for simple_one_for_one. Idempotent. */
  terminateChild(idOrRef: string | AnyActorRef): Promise<SupervisorResult>;
  /** OTP `restart_child/2`: only a terminated child whose spec is kept. */
  restartChild(id: string): Promise<SupervisorResult<AnyActorRef | undefined>>;
  /** OTP `delete_child/2`: only a terminated child. */
  deleteChild(id: string): Promise<SupervisorResult>;
  /** OTP `which_children/1`, reverse start order. */
  whichChildren(): ChildInfo[];
  /** OTP `count_children/1`. */
  countChildren(): ChildCounts;
  /** Graceful shutdown: children stopped in reverse order per their `shutdown`, then done. */
  stop(): Promise<void>;
}

type AnyReply = SupervisorResult<unknown>;

/**
 * The calls awaiting an answer from one supervisor, behind ONE reply listener and ONE status
 * subscription: a listener per call would make every reply (and every snapshot) visit every
 * pending call, which is quadratic when thousands of calls are in flight. The two stay for the
 * supervisor's life (an actor drops its listeners when it ends): a reply usually comes within
 * the call's own `send`, so subscribing per batch of calls would subscribe once per call.
 */
class PendingCalls {
  readonly #supervisor: AnyActorRef;
  readonly #waiting = new Map<string, (result: AnyReply) => void>();
  #listening = false;

  constructor(supervisor: AnyActorRef) {
    this.#supervisor = supervisor;
  }

  add(requestId: string, resolve: (result: AnyReply) => void): void {
    this.#waiting.set(requestId, resolve);
    if (this.#listening) return;
    this.#listening = true;
    const noproc = (): void => this.#endAll();
    this.#supervisor.on('@supervisor.reply', (event: { requestId: string; result: AnyReply }) => {
      const waiting = this.#waiting.get(event.requestId);
      if (!waiting) return;
      this.#waiting.delete(event.requestId);
      waiting(event.result);
    });
    this.#supervisor.subscribe({ complete: noproc, error: noproc });
  }

  /** How many calls wait for an answer. @internal */
  get size(): number {
    return this.#waiting.size;
  }

  #endAll(): void {
    const waiting = [...this.#waiting.values()];
    this.#waiting.clear();
    for (const resolve of waiting) resolve({ ok: false, error: { kind: 'noproc' } });
  }
}

const PENDING = new WeakMap<AnyActorRef, PendingCalls>();
/** Request ids: unique per process, which is all a reply needs (cheaper than a UUID). */
let requestSeq = 0;

function pendingCalls(supervisor: AnyActorRef): PendingCalls {
  let pending = PENDING.get(supervisor);
  if (!pending) {
    pending = new PendingCalls(supervisor);
    PENDING.set(supervisor, pending);
  }
  return pending;
}

/**
 * Wraps any supervisor actor (root or nested) in the dynamic API. Calls are events answered
 * by an emitted reply, so they queue behind whatever the supervisor is doing, as in OTP.
 */
export function supervisorClient(supervisor: AnyActorRef): SupervisorClient {
  const call = <T>(request: SupervisorCall): Promise<SupervisorResult<T>> =>
    new Promise((resolve) => {
      if (supervisor.getSnapshot().status !== 'active') {
        resolve({ ok: false, error: { kind: 'noproc' } });
        return;
      }
      requestSeq += 1;
      const requestId = `call-${requestSeq}`;
      pendingCalls(supervisor).add(requestId, resolve as (result: AnyReply) => void);
      supervisor.send({ type: '@supervisor.call', requestId, call: request });
    });
  const state = () => {
    const found = supervisorStateOf(supervisor.getSnapshot());
    if (!found) throw new TypeError(`actor ${supervisor.id} is not a supervisor`);
    return found;
  };
  return {
    startChild: (specOrArgs) =>
      call(
        Array.isArray(specOrArgs)
          ? { kind: 'start_child', args: specOrArgs }
          : { kind: 'start_child', spec: specOrArgs as ChildSpec },
      ),
    terminateChild: (idOrRef) =>
      call(
        typeof idOrRef === 'string'
          ? { kind: 'terminate_child', id: idOrRef }
          : {
              kind: 'terminate_child',
              actorId: idOrRef.id,
              ownChild: idOrRef._parent === supervisor,
            },
      ),
    restartChild: (id) => call({ kind: 'restart_child', id }),
    deleteChild: (id) => call({ kind: 'delete_child', id }),
    whichChildren: () => whichChildren(state()),
    countChildren: () => countChildren(state()),
    stop: () =>
      new Promise<void>((resolve) => {
        if (supervisor.getSnapshot().status !== 'active') {
          resolve();
          return;
        }
        const sub = supervisor.subscribe({
          next: (snapshot) => {
            if (snapshot.status !== 'active') {
              sub.unsubscribe();
              resolve();
            }
          },
          complete: () => resolve(),
          error: () => resolve(),
        });
        supervisor.send({ type: SHUTDOWN_EVENT });
      }),
  };
}
