import type { AnyActorRef } from 'xstate';

/** Whether the actor can still receive events. @internal */
export function isActive(ref: AnyActorRef): boolean {
  return ref.getSnapshot()?.status === 'active';
}
