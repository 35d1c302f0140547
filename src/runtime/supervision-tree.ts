import type { AnyActorRef } from 'xstate';
import { supervisorViewOf } from '../supervisors/supervisor-view.js';

/** One node of a supervision tree snapshot. */
export interface SupervisionNode {
  /** Child id in its supervisor (the root's actor id for the root). */
  readonly id: string;
  readonly kind: 'supervisor' | 'worker';
  readonly status: 'running' | 'restarting' | 'terminated' | 'stopped';
  /** The current actor's id (changes on restart: `id`, `id:2`, …). */
  readonly actorId: string | undefined;
  /** Restarts caused by this child's failures. */
  readonly restarts: number;
  /** For a worker that is a state machine: its current state value. */
  readonly state?: unknown;
  /** For a supervisor: its children in start order. */
  readonly children?: readonly SupervisionNode[];
  /** For a supervisor: restarts counted against its intensity right now. */
  readonly restartsInPeriod?: number;
}

/**
 * A snapshot of the tree under a supervisor actor: who is running, restarting or stopped, and
 * how often each restarted. Pure reads of the actors' snapshots.
 */
export function supervisionTree(root: AnyActorRef, id = root.id): SupervisionNode {
  return supervisorNode(root, id, 0);
}

function supervisorNode(ref: AnyActorRef, id: string, restarts: number): SupervisionNode {
  const snapshot = ref.getSnapshot() as { status: string };
  const view = supervisorViewOf(snapshot);
  const status = snapshot.status === 'active' ? 'running' : 'stopped';
  if (!view) return { id, kind: 'worker', status, actorId: ref.id, restarts };
  return {
    id,
    kind: 'supervisor',
    status,
    actorId: ref.id,
    restarts,
    restartsInPeriod: view.restartsInPeriod(),
    children: view.children().map((child) => {
      if (child.ref && child.type === 'supervisor') {
        return supervisorNode(child.ref, child.id, child.restarts);
      }
      const value = (child.ref?.getSnapshot() as { value?: unknown } | undefined)?.value;
      return {
        id: child.id,
        kind: child.type,
        status: child.status,
        actorId: child.ref?.id,
        restarts: child.restarts,
        ...(value === undefined ? {} : { state: value }),
      };
    }),
  };
}
