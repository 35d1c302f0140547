import { dependencyPlaceholders } from './dependency-placeholders.js';
import { PlanGraphError } from './errors/plan-graph-error.js';

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
 * there is no cycle, and no two tasks write their output to the same file.
 *
 * @returns The task ids in an order that runs every task after its dependencies (plan order
 *   where dependencies allow).
 * @throws {@link PlanGraphError} for the first problem found, naming the task and the field
 *   (e.g. `tasks[3].dependsOn[1]`), and for a cycle the path round it (`a → b → c → a`).
 * @example
 * ```ts
 * validatePlanGraph({ tasks: [{ id: 'a', prompt: 'x', dependsOn: ['a'] }] });
 * // PlanGraphError: The plan's dependencies form a cycle: a → a ...
 * ```
 */
export function validatePlanGraph(plan: { readonly tasks: readonly PlanGraphTask[] }): string[] {
  const indexById = new Map<string, number>();
  plan.tasks.forEach((task, index) => {
    const first = indexById.get(task.id);
    if (first !== undefined) {
      throw new PlanGraphError(
        `Task id \`${task.id}\` is used twice, by tasks[${first}] and tasks[${index}]. ` +
          'Give every task its own id.',
        { problem: 'duplicate_id', taskId: task.id, path: `tasks[${index}].id` },
      );
    }
    indexById.set(task.id, index);
  });
  plan.tasks.forEach((task, index) => {
    const dependsOn = task.dependsOn ?? [];
    dependsOn.forEach((dependency, d) => {
      if (indexById.has(dependency)) return;
      throw new PlanGraphError(
        `Task \`${task.id}\` depends on \`${dependency}\` (tasks[${index}].dependsOn[${d}]), ` +
          `but the plan has no task with that id. Known ids: ${[...indexById.keys()].join(', ')}.`,
        {
          problem: 'unknown_dependency',
          taskId: task.id,
          path: `tasks[${index}].dependsOn[${d}]`,
          dependency,
        },
      );
    });
    for (const used of dependencyPlaceholders(task.prompt)) {
      if (dependsOn.includes(used)) continue;
      throw new PlanGraphError(
        `Task \`${task.id}\` uses {{deps.${used}}} in its prompt (tasks[${index}].prompt) but ` +
          `does not depend on \`${used}\`. Add \`${used}\` to its dependsOn.`,
        {
          problem: 'unknown_placeholder',
          taskId: task.id,
          path: `tasks[${index}].prompt`,
          dependency: used,
        },
      );
    }
  });
  checkOutputFiles(plan.tasks);
  return topologicalOrder(plan.tasks, indexById);
}

/** No two tasks may share an output file: one would overwrite the other. */
function checkOutputFiles(tasks: readonly PlanGraphTask[]): void {
  const byFile = new Map<string, number>();
  tasks.forEach((task, index) => {
    const written = task.outputFile ?? `tasks/${task.id}.md`;
    // `./a//b.md` and `a/b.md` are one file (names are validated before: no `..`, no `\`).
    const file = written
      .split('/')
      .filter((segment) => segment !== '' && segment !== '.')
      .join('/');
    const first = byFile.get(file);
    if (first !== undefined) {
      throw new PlanGraphError(
        `Tasks \`${tasks[first]!.id}\` (tasks[${first}]) and \`${task.id}\` (tasks[${index}]) ` +
          `would both write their output to \`${file}\`. Give one of them another outputFile.`,
        { problem: 'duplicate_output_file', taskId: task.id, path: `tasks[${index}].outputFile` },
      );
    }
    byFile.set(file, index);
  });
}

function topologicalOrder(
  tasks: readonly PlanGraphTask[],
  indexById: ReadonlyMap<string, number>,
): string[] {
  const state = new Map<string, 'visiting' | 'done'>();
  const order: string[] = [];
  const stack: string[] = [];
  const visit = (id: string): void => {
    const seen = state.get(id);
    if (seen === 'done') return;
    if (seen === 'visiting') {
      const cycle = [...stack.slice(stack.indexOf(id)), id];
      throw new PlanGraphError(
        `The plan's dependencies form a cycle: ${cycle.join(' → ')} (each task depends on ` +
          'the next). Remove one of these dependencies.',
        {
          problem: 'cycle',
          taskId: id,
          path: `tasks[${indexById.get(id)}].dependsOn`,
          cycle,
        },
      );
    }
    state.set(id, 'visiting');
    stack.push(id);
    const task = tasks[indexById.get(id)!]!;
    for (const dependency of task.dependsOn ?? []) visit(dependency);
    stack.pop();
    state.set(id, 'done');
    order.push(id);
  };
  for (const task of tasks) visit(task.id);
  return order;
}
