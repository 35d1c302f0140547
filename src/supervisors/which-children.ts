import type { SupervisorState } from './supervisor-state.js';
import type { ChildCounts, ChildInfo } from './types.js';

/** OTP `which_children/1`: every child in reverse start order, with its actor or state. */
export function whichChildren(state: SupervisorState): ChildInfo[] {
  const rows: ChildInfo[] = [];
  for (let i = state.children.length - 1; i >= 0; i--) {
    const child = state.children[i]!;
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
    const size = state.children.length;
    const active = state.children.filter((c) => c.status === 'running').length;
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
  for (const child of state.children) {
    if (child.status === 'running') active++;
    if (child.spec.type === 'supervisor') supervisors++;
  }
  return {
    specs: state.children.length,
    active,
    supervisors,
    workers: state.children.length - supervisors,
  };
}
