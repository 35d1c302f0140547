import type { AnyActorRef } from 'xstate';
import { supervisorViewOf } from '../../supervisors/supervisor-view.js';
import type { SupervisorEvent } from '../../supervisors/types.js';

/**
 * Calls `onRestart(supervisor)` each time `root` or a supervisor under it (found as each is
 * started: a restarted supervisor is followed anew) decides to restart a child. `supervisor`
 * is its actor id without the `:<n>` of a restarted actor, so the label stays one per
 * supervisor. Listens to the supervisors' own events only (no inspection observer, which would
 * cost something on every event of every actor). Returns the unsubscribe.
 *
 * @internal
 */
export function followSupervisorRestarts(
  root: AnyActorRef,
  onRestart: (supervisor: string) => void,
): () => void {
  const subscriptions: { unsubscribe(): void }[] = [];
  const follow = (ref: AnyActorRef): void => {
    const label = ref.id.replace(/:\d+$/, '');
    subscriptions.push(
      ref.on('child.exited', (event: SupervisorEvent) => {
        if (event.type === 'child.exited' && event.restart) onRestart(label);
      }),
      ref.on('child.started', (event: SupervisorEvent) => {
        if (event.type === 'child.started' && supervisorViewOf(event.child.getSnapshot())) {
          follow(event.child);
        }
      }),
    );
  };
  follow(root);
  return () => {
    for (const subscription of subscriptions.splice(0)) subscription.unsubscribe();
  };
}
