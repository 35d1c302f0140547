import { DEPENDENCY_PLACEHOLDER, dependencyPlaceholders } from '../plan/dependency-placeholders.js';

/** The output of a dependency, as a dependent's prompt receives it. */
export interface DependencyOutput {
  readonly id: string;
  readonly output: string;
}

/**
 * The prompt a task runs with, given the outputs of its dependencies:
 *
 * 1. every `{{deps.<id>}}` in the prompt is replaced by the output of dependency `<id>`;
 * 2. the outputs of the other dependencies follow the prompt, after a blank line, one block per
 *    dependency in `dependsOn` order (as the patterns' `withContext` does):
 *
 * ```text
 * <context source="<id>">
 * <output of <id>>
 * </context>
 * ```
 *
 * A dependency used through a placeholder is not repeated in a block.
 *
 * @example
 * ```ts
 * buildTaskPrompt('Merge {{deps.a}} with the rest.', [{ id: 'a', output: 'A' }, { id: 'b', output: 'B' }]);
 * // 'Merge A with the rest.\n\n<context source="b">\nB\n</context>'
 * ```
 */
export function buildTaskPrompt(prompt: string, dependencies: readonly DependencyOutput[]): string {
  const outputs = new Map(dependencies.map((dependency) => [dependency.id, dependency.output]));
  const used = new Set(dependencyPlaceholders(prompt));
  // A function replacement: `$&` and friends in an output are text, not patterns.
  const text = prompt.replace(
    DEPENDENCY_PLACEHOLDER,
    (whole, id: string) => outputs.get(id) ?? whole,
  );
  const blocks = dependencies
    .filter((dependency) => !used.has(dependency.id))
    .map(({ id, output }) => `<context source="${id}">\n${output}\n</context>`);
  return blocks.length === 0 ? text : `${text}\n\n${blocks.join('\n')}`;
}
