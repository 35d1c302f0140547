import { Observable } from 'rxjs';
import type { AnyActorRef } from 'xstate';
import { supervisorViewOf } from '../supervisors/supervisor-view.js';
import { type SupervisionNode, supervisionTree } from './supervision-tree.js';

/**
 * The supervision tree under `root` now, then again each time a supervisor in it changes (many
 * changes in one tick make one snapshot); completes once `root` has stopped.
 */
export function supervisionTreeChanges(root: AnyActorRef): Observable<SupervisionNode> {
  return new Observable<SupervisionNode>((subscriber) => {
    let scheduled = false;
    const emit = (): void => {
      scheduled = false;
      subscriber.next(supervisionTree(root));
      if (root.getSnapshot().status !== 'active') subscriber.complete();
    };
    subscriber.next(supervisionTree(root));
    const inspection = root.system.inspect((event) => {
      if (event.type !== '@xstate.snapshot' || !supervisorViewOf(event.snapshot)) return;
      if (!scheduled) {
        scheduled = true;
        queueMicrotask(emit);
      }
    });
    return () => inspection.unsubscribe();
  });
}
