/**
 * The DAG column of each task: the longest chain of dependencies below it (0 for a task with
 * none). Unknown dependencies count as depth 0; a cycle (which a valid plan cannot have) is
 * cut where it closes.
 *
 * @internal
 */
export function taskDepths(
  tasks: readonly { readonly id: string; readonly dependsOn?: readonly string[] }[],
): Map<string, number> {
  const deps = new Map(tasks.map((t) => [t.id, t.dependsOn ?? []]));
  const depths = new Map<string, number>();
  const visiting = new Set<string>();
  const depthOf = (id: string): number => {
    const known = depths.get(id);
    if (known !== undefined) return known;
    if (visiting.has(id) || !deps.has(id)) return -1;
    visiting.add(id);
    const depth = Math.max(-1, ...(deps.get(id) ?? []).map(depthOf)) + 1;
    visiting.delete(id);
    depths.set(id, depth);
    return depth;
  };
  for (const task of tasks) depthOf(task.id);
  return depths;
}
