import { outputPathConflicts } from '../report/output-path-conflicts.js';
import { REPORT_FILE } from '../report/output-path-problem.js';
import { dependencyPlaceholders } from './dependency-placeholders.js';
import { PlanGraphError, type PlanGraphIssue } from './errors/plan-graph-error.js';

/** What {@link validatePlanGraph} needs of a task. */
export interface PlanGraphTask {
  readonly id: string;
  readonly prompt: string;
  readonly dependsOn?: readonly string[] | undefined;
  /** Where the report writes its output; `tasks/<id>.md` when absent. */
  readonly outputFile?: string | undefined;
}

/**
 * Checks that a plan's tasks form a runnable graph, before anything starts: ids are unique,
 * every dependency exists, every `{{deps.<id>}}` placeholder names a dependency of its task,
 * there is no cycle, and no two tasks write their output to the same file (names compared
 * ignoring case) nor one inside another's file or inside `report.json`.
 *
 * @returns The task ids in an order that runs every task after its dependencies (plan order
 *   where dependencies allow).
 * @throws {@link PlanGraphError} listing every problem found (`problems`), each naming the task
 *   and the field (e.g. `tasks[3].dependsOn[1]`), and for a cycle the path round it
 *   (`a → b → c → a`).
 * @example
 * ```ts
 * validatePlanGraph({ tasks: [{ id: 'a', prompt: 'x', dependsOn: ['a'] }] });
 * // PlanGraphError: The plan's dependencies form a cycle: a → a ...
 * ```
 */
export function validatePlanGraph(plan: { readonly tasks: readonly PlanGraphTask[] }): string[] {
  const issues: PlanGraphIssue[] = [];
  const indexById = new Map<string, number>();
  plan.tasks.forEach((task, index) => {
    const first = indexById.get(task.id);
    if (first === undefined) {
      indexById.set(task.id, index);
      return;
    }
    issues.push({
      problem: 'duplicate_id',
      message:
        `Task id \`${task.id}\` is used twice, by tasks[${first}] and tasks[${index}]. ` +
        'Give every task its own id.',
      taskId: task.id,
      path: `tasks[${index}].id`,
    });
  });
  plan.tasks.forEach((task, index) => {
    const dependsOn = task.dependsOn ?? [];
    dependsOn.forEach((dependency, d) => {
      if (indexById.has(dependency)) return;
      issues.push({
        problem: 'unknown_dependency',
        message:
          `Task \`${task.id}\` depends on \`${dependency}\` (tasks[${index}].dependsOn[${d}]), ` +
          `but the plan has no task with that id. Known ids: ${[...indexById.keys()].join(', ')}.`,
        taskId: task.id,
        path: `tasks[${index}].dependsOn[${d}]`,
        dependency,
      });
    });
    for (const used of dependencyPlaceholders(task.prompt)) {
      if (dependsOn.includes(used)) continue;
      issues.push({
        problem: 'unknown_placeholder',
        message:
          `Task \`${task.id}\` uses {{deps.${used}}} in its prompt (tasks[${index}].prompt) but ` +
          `does not depend on \`${used}\`. Add \`${used}\` to its dependsOn.`,
        taskId: task.id,
        path: `tasks[${index}].prompt`,
        dependency: used,
      });
    }
  });
  issues.push(...outputFileIssues(plan.tasks, indexById));
  const { order, cycle } = topologicalOrder(plan.tasks, indexById);
  if (cycle) issues.push(cycle);
  if (issues.length > 0) throw PlanGraphError.of(issues);
  return order;
}

/**
 * No two tasks may share an output file (one would overwrite the other), and no task's file may
 * be a folder on the way to another's (`tasks/b.md` and `tasks/b.md/c.md`) or to the report's
 * own `report.json` (only one of them could exist, so the report would never be written). Paths
 * are compared case-insensitively and NFC-normalised, as macOS and Windows store them. A task
 * whose id is a duplicate (already reported) is not reported again for the default file that id
 * gives it.
 */
function outputFileIssues(
  tasks: readonly PlanGraphTask[],
  indexById: ReadonlyMap<string, number>,
): PlanGraphIssue[] {
  // Entry 0 is the report itself; the others are the tasks whose file is checked.
  const owners: (number | undefined)[] = [undefined];
  const files: string[] = [REPORT_FILE];
  tasks.forEach((task, index) => {
    if (task.outputFile === undefined && indexById.get(task.id) !== index) return;
    owners.push(index);
    // `./a//b.md` and `a/b.md` are one file (names are validated before: no `..`, no `\`).
    files.push(
      (task.outputFile ?? `tasks/${task.id}.md`)
        .split('/')
        .filter((segment) => segment !== '' && segment !== '.')
        .join('/'),
    );
  });
  const who = (entry: number): string => {
    const index = owners[entry];
    return index === undefined
      ? 'the run report'
      : `task \`${tasks[index]!.id}\` (tasks[${index}])`;
  };
  const found = outputPathConflicts(files).map(({ kind, a, b }) => {
    // Reported on the task later in the plan (the report counts as first).
    const [earlier, later] = (owners[a] ?? -1) < (owners[b] ?? -1) ? [a, b] : [b, a];
    const index = owners[later]!;
    const where =
      files[a] === files[b]
        ? `\`${files[a]}\``
        : `\`${files[earlier]}\` and \`${files[later]}\`, the same file where names ignore case`;
    const message =
      kind === 'inside_file'
        ? `${capitalize(who(b))} would write \`${files[b]}\` inside \`${files[a]}\`, which ` +
          `${who(a)} writes as a file: only one of them can exist. Give one of them another ` +
          'outputFile.'
        : owners[earlier] === undefined
          ? `${capitalize(who(later))} would write its output to ${where}: the run report's ` +
            'own file. Give it another outputFile.'
          : `Tasks \`${tasks[owners[earlier]!]!.id}\` (tasks[${owners[earlier]}]) and ` +
            `\`${tasks[index]!.id}\` (tasks[${index}]) would both write their output to ` +
            `${where}. Give one of them another outputFile.`;
    const issue: PlanGraphIssue = {
      problem: kind === 'same_file' ? 'duplicate_output_file' : 'output_path_conflict',
      message,
      taskId: tasks[index]!.id,
      path: `tasks[${index}].outputFile`,
    };
    return { index, issue };
  });
  return found.sort((x, y) => x.index - y.index).map(({ issue }) => issue);
}

function capitalize(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}

/**
 * Dependencies first, plan order otherwise; the first cycle found, if any. Unknown
 * dependencies (reported on their own) are passed over.
 */
function topologicalOrder(
  tasks: readonly PlanGraphTask[],
  indexById: ReadonlyMap<string, number>,
): { order: string[]; cycle: PlanGraphIssue | undefined } {
  const state = new Map<string, 'visiting' | 'done'>();
  const order: string[] = [];
  const stack: string[] = [];
  let found: PlanGraphIssue | undefined;
  const visit = (id: string): void => {
    const seen = state.get(id);
    if (seen === 'done') return;
    if (seen === 'visiting') {
      const cycle = [...stack.slice(stack.indexOf(id)), id];
      found ??= {
        problem: 'cycle',
        message:
          `The plan's dependencies form a cycle: ${cycle.join(' → ')} (each task depends on ` +
          'the next). Remove one of these dependencies.',
        taskId: id,
        path: `tasks[${indexById.get(id)}].dependsOn`,
        cycle,
      };
      return;
    }
    const index = indexById.get(id);
    if (index === undefined) return;
    state.set(id, 'visiting');
    stack.push(id);
    for (const dependency of tasks[index]!.dependsOn ?? []) visit(dependency);
    stack.pop();
    state.set(id, 'done');
    order.push(id);
  };
  for (const task of tasks) visit(task.id);
  return { order, cycle: found };
}
