import type { z } from 'zod';
import { locateIssues } from '../../core/validation/issues-of.js';
import { safeValidate } from '../../core/validation/validate.js';
import { valueAt } from '../../core/validation/value-at.js';
import { agentSdkHint } from '../../machines/query/options/agent-sdk-options.js';
import { InvalidPlanError, type PlanIssue } from './errors/invalid-plan-error.js';
import { type Plan, type PlanQueryOptions, PlanSchema } from './plan-schema.js';
import { validatePlanGraph } from './validate-plan-graph.js';

/** Options of {@link parsePlan}. */
export interface ParsePlanOptions {
  /** Where the plan came from (a file path), for error messages. */
  readonly source?: string;
}

/**
 * Validates a plan (from a file, an object literal, or Claude's structured output) and its
 * dependency graph, and fills in task defaults.
 *
 * @throws {@link InvalidPlanError} naming the task, the field (`tasks[2].dependsOn[0]`) and the
 *   value, when a field is invalid.
 * @throws {@link PlanGraphError} for duplicate ids, unknown dependencies or placeholders, and
 *   cycles.
 * @example
 * ```ts
 * const plan = parsePlan({ tasks: [{ id: 'a', prompt: 'Say hi' }] });
 * plan.tasks[0].dependsOn; // []
 * ```
 */
export function parsePlan(input: unknown, options: ParsePlanOptions = {}): Plan {
  const parsed = safeValidate(PlanSchema, input);
  if (!parsed.success) {
    throw new InvalidPlanError(planIssues(parsed.error, input), { source: options.source });
  }
  const written = input as {
    defaults?: PlanQueryOptions;
    tasks: readonly { options?: PlanQueryOptions }[];
  };
  // Query options stay as written: the runtime's defaults fill in what the plan leaves out.
  const { defaults: _filled, tasks, ...rest } = parsed.data;
  const plan: Plan = {
    ...rest,
    ...(written.defaults === undefined ? {} : { defaults: written.defaults }),
    tasks: tasks.map(({ options: _taskFilled, ...task }, index) => {
      const own = written.tasks[index]?.options;
      return own === undefined ? task : { ...task, options: own };
    }),
  };
  validatePlanGraph(plan);
  return plan;
}

function planIssues(error: z.ZodError, input: unknown): PlanIssue[] {
  return locateIssues(error, input, {
    // Plan files take our option names only: an Agent SDK name is told which one it is.
    hint: (path, key) => (isOptionsPath(path) ? agentSdkHint(key) : undefined),
  }).map(({ at, issue }) => ({ ...issue, taskId: taskIdAt(at, input) }));
}

/** The task an issue is in: its id, or `#2` for a task without a usable id. */
function taskIdAt(path: readonly PropertyKey[], input: unknown): string | undefined {
  if (path[0] !== 'tasks' || typeof path[1] !== 'number') return undefined;
  const id = valueAt(input, ['tasks', path[1], 'id']);
  return typeof id === 'string' && id.length > 0 ? id : `#${path[1]}`;
}

/** Whether `path` is the query options of a plan: `defaults` or `tasks[i].options`. */
function isOptionsPath(path: readonly PropertyKey[]): boolean {
  return (
    (path.length === 1 && path[0] === 'defaults') ||
    (path.length === 3 &&
      path[0] === 'tasks' &&
      typeof path[1] === 'number' &&
      path[2] === 'options')
  );
}
