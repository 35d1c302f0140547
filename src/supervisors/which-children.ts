import type { SupervisorState } from './supervisor-state.js';
import type { ChildCounts, ChildInfo } from './types.js';

/** OTP `which_children/1`: every child in reverse start order, with its actor or state. */
export function whichChildren(state: SupervisorState): ChildInfo[] {
  const rows: ChildInfo[] = [];
  const children = [...state.childById.values()];
  for (let i = children.length - 1; i >= 0; i--) {
    const child = children[i]!;
    rows.push({
      id: child.id,
      child: child.status === 'restarting' ? 'restarting' : child.ref,
      type: child.spec.type,
    });
  }
  return rows;
}

/**
 * OTP `count_children/1`; children `restarting` are not active. A simple_one_for_one
 * supervisor has one spec, and each child counts as a worker or supervisor by its type.
 */
export function countChildren(state: SupervisorState): ChildCounts {
  if (state.template) {
    const size = state.childById.size;
    let active = 0;
    for (const child of state.childById.values()) if (child.status === 'running') active++;
    const isSupervisor = state.template.type === 'supervisor';
    return {
      specs: 1,
      active,
      supervisors: isSupervisor ? size : 0,
      workers: isSupervisor ? 0 : size,
    };
  }
  let active = 0;
  let supervisors = 0;
  for (const child of state.childById.values()) {
    if (child.status === 'running') active++;
    if (child.spec.type === 'supervisor') supervisors++;
  }
  return {
    specs: state.childById.size,
    active,
    supervisors,
    workers: state.childById.size - supervisors,
  };
}
