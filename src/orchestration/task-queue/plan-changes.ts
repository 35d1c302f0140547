/** How a plan differs from the one a journalled run was started with. */
export interface PlanChanges {
  /** Task ids in the plan, not in the run. */
  readonly added: readonly string[];
  /** Task ids in the run, no longer in the plan. */
  readonly removed: readonly string[];
  /** Task ids in both whose definition (or the plan's `defaults`) changed. */
  readonly changed: readonly string[];
}

type Hashed = ReadonlyArray<{ readonly taskId: string; readonly hash: string }>;

/** Compares task hashes: the journal's (`before`) with the plan's (`after`). Pure. */
export function planChanges(before: Hashed, after: Hashed): PlanChanges {
  const old = new Map(before.map((task) => [task.taskId, task.hash]));
  const now = new Set(after.map((task) => task.taskId));
  return {
    added: after.filter((task) => !old.has(task.taskId)).map((task) => task.taskId),
    removed: before.filter((task) => !now.has(task.taskId)).map((task) => task.taskId),
    changed: after
      .filter((task) => old.has(task.taskId) && old.get(task.taskId) !== task.hash)
      .map((task) => task.taskId),
  };
}

/** Whether anything changed. */
export function hasPlanChanges(changes: PlanChanges): boolean {
  return changes.added.length + changes.removed.length + changes.changed.length > 0;
}
