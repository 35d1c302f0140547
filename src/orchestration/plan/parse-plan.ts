import type { z } from 'zod';
import { formatZodIssues, valueAt } from '../../core/validation/format-zod-issues.js';
import { agentSdkHint } from '../../machines/query/options/agent-sdk-options.js';
import { InvalidPlanError, type PlanIssue } from './errors/invalid-plan-error.js';
import {
  type Plan,
  type PlanQueryOptions,
  PlanQueryOptionsSchema,
  PlanSchema,
  PlanTaskSchema,
} from './plan-schema.js';
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
  const parsed = PlanSchema.safeParse(input);
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
  const issues = formatZodIssues(error, input, {
    knownKeys,
    // Plan files take our option names only: an Agent SDK name is told which one it is.
    unknownKeyHint: (path, key) => (isOptionsPath(path) ? agentSdkHint(key) : undefined),
  });
  return error.issues.length === issues.length
    ? issues.map((issue, i) => withTask(issue, error.issues[i]!.path, input))
    : // An unknown-keys issue expands to one issue per key: find the task from the path text.
      issues.map((issue) => withTask(issue, pathOf(issue.path), input));
}

function withTask(
  issue: { path: string; message: string; received: string },
  path: readonly PropertyKey[],
  input: unknown,
): PlanIssue {
  let taskId: string | undefined;
  if (path[0] === 'tasks' && typeof path[1] === 'number') {
    const id = valueAt(input, ['tasks', path[1], 'id']);
    taskId = typeof id === 'string' && id.length > 0 ? id : `#${path[1]}`;
  }
  return {
    path: issue.path,
    taskId,
    message: issue.message,
    received: issue.received,
  };
}

/** `['tasks', 2, 'x']` from `tasks[2].x`: enough to find the task of a path. */
function pathOf(text: string): PropertyKey[] {
  const match = /^tasks\[(\d+)\]/.exec(text);
  return match ? ['tasks', Number(match[1])] : [];
}

const OPTION_GROUPS = new Set(['timeouts', 'retry']);

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

/** Keys accepted at a path of a plan, for `did you mean …?` on a misspelt one. */
function knownKeys(path: readonly PropertyKey[]): readonly string[] | undefined {
  const inTask = path[0] === 'tasks' && typeof path[1] === 'number';
  const rest = inTask ? path.slice(2) : path;
  if (path.length === 0) return Object.keys(PlanSchema.shape);
  if (inTask && rest.length === 0) return Object.keys(PlanTaskSchema.shape);
  if (inTask && rest.length === 1 && rest[0] === 'retry') return ['attempts'];
  const inOptions = inTask ? rest[0] === 'options' : path[0] === 'defaults';
  if (!inOptions) return undefined;
  const within = inTask ? rest.slice(1) : path.slice(1);
  if (within.length === 0) return Object.keys(PlanQueryOptionsSchema.shape);
  const group = within[0];
  if (within.length === 1 && typeof group === 'string' && OPTION_GROUPS.has(group)) {
    const schema = PlanQueryOptionsSchema.shape[group as 'timeouts' | 'retry'];
    return Object.keys(schema.unwrap().shape);
  }
  return undefined;
}
