import type { AnyActorRef } from 'xstate';
import { supervisorViewOf } from '../../supervisors/supervisor-view.js';
import type { SupervisorEvent } from '../../supervisors/types.js';

/**
 * Calls `onRestart(supervisor)` each time a supervisor of `root`'s actor system (the root
 * included, and any started later) decides to restart a child. `supervisor` is its actor id
 * without the `:<n>` a restarted supervisor's id gets, so the label stays one per supervisor.
 * Returns the unsubscribe.
 *
 * @internal
 */
export function followSupervisorRestarts(
  root: AnyActorRef,
  onRestart: (supervisor: string) => void,
): () => void {
  const seen = new WeakSet<AnyActorRef>();
  const follow = (ref: AnyActorRef): void => {
    const label = ref.id.replace(/:\d+$/, '');
    ref.on('child.exited', (event: SupervisorEvent) => {
      if (event.type === 'child.exited' && event.restart) onRestart(label);
    });
  };
  seen.add(root);
  follow(root);
  const inspection = root.system.inspect((event) => {
    if (event.type !== '@xstate.snapshot') return;
    const ref = event.actorRef as AnyActorRef;
    if (seen.has(ref)) return;
    seen.add(ref);
    if (supervisorViewOf(event.snapshot)) follow(ref);
  });
  return () => inspection.unsubscribe();
}
