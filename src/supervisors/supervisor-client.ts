import type { AnyActorRef } from 'xstate';
import { requestReply } from '../core/actor/request-reply.js';
import { SHUTDOWN_EVENT } from './shutdown-event.js';
import type { SupervisorCall } from './supervisor-call.js';
import { supervisorViewOf } from './supervisor-view.js';
import type { ChildCounts, ChildInfo, ChildSpec, SupervisorResult } from './types.js';

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

/** The event a supervisor emits to answer one call. @internal */
interface SupervisorReply {
  readonly type: 'supervisor.reply';
  readonly requestId: string;
  readonly result: SupervisorResult<unknown>;
}

/** Request ids: unique per process, which is all a reply needs (cheaper than a UUID). */
let requestSeq = 0;

const resultOf = (reply: SupervisorReply): SupervisorResult<unknown> => reply.result;
/** OTP: a call to a process that is not there (or dies before it answers) is `noproc`. */
const noproc = (): SupervisorResult<never> => ({ ok: false, error: { kind: 'noproc' } });

/**
 * Wraps any supervisor actor (root or nested) in the dynamic API. Calls are events answered
 * by an emitted reply, so they queue behind whatever the supervisor is doing, as in OTP.
 */
export function supervisorClient(supervisor: AnyActorRef): SupervisorClient {
  const call = <T>(request: SupervisorCall): Promise<SupervisorResult<T>> => {
    requestSeq += 1;
    const requestId = `call-${requestSeq}`;
    return requestReply<SupervisorReply, SupervisorResult<T>>(supervisor, {
      replyType: 'supervisor.reply',
      requestId,
      send: () => supervisor.send({ type: '@supervisor.call', requestId, call: request }),
      onReply: resultOf as (reply: SupervisorReply) => SupervisorResult<T>,
      onStopped: noproc,
    });
  };
  const view = () => {
    const found = supervisorViewOf(supervisor.getSnapshot());
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
    whichChildren: () => view().whichChildren(),
    countChildren: () => view().countChildren(),
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
