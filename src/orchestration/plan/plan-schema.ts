import { z } from 'zod';
import { promptIssues } from '../../machines/query/options/parse-prompt.js';
import { QueryOptionsSchema } from '../../machines/query/options/query-options.js';
import { taskOutputFileProblem } from '../report/output-path-problem.js';

/** What a task id may look like: it names files, git branches and `{{deps.<id>}}` placeholders. */
export const TASK_ID_PATTERN = /^[A-Za-z0-9_][A-Za-z0-9_-]{0,63}$/;

const positiveInt = z
  .number({ error: 'expected a positive integer' })
  .int({ error: 'expected a positive integer' })
  .positive({ error: 'expected a positive integer' });

/** `is required` for a missing field, else `expected …`. */
const required = (expected: string) => (issue: { input?: unknown }) =>
  issue.input === undefined ? 'is required' : expected;

const TaskIdSchema = z
  .string({ error: required('expected a task id (a string)') })
  .regex(TASK_ID_PATTERN, {
    error: 'expected a task id of up to 64 letters, digits, `_` and `-`',
  });

/**
 * Query options as a plan file may hold them: every {@link QueryOptionsSchema} option except
 * `outputSchema` (a zod schema), `stderr`, the callbacks (`canUseTool`, `hooks`, `onElicitation`,
 * `onUserDialog`) and `sdkMcpServers` (functions), which no file can hold, and `apiKey`
 * (a secret does not belong in a plan file: give it to the runtime). The cross-field checks of the query options
 * (`fallbackModel` differing from `model`, `forkSession` needing `resume`) apply here too.
 */
export const PlanQueryOptionsSchema = z
  // From the bare shape: zod 4.3 and later refuse `.omit()` on a schema with refinements.
  .strictObject(QueryOptionsSchema.shape)
  .omit({
    outputSchema: true,
    stderr: true,
    apiKey: true,
    canUseTool: true,
    hooks: true,
    onElicitation: true,
    onUserDialog: true,
    sdkMcpServers: true,
  })
  .superRefine((options, ctx) => {
    // The bare shape has none of the full schema's refinements: run them again.
    const full = QueryOptionsSchema.safeParse(options);
    if (full.success) return;
    for (const issue of full.error.issues) {
      if (issue.code !== 'custom') continue;
      ctx.addIssue({
        code: 'custom',
        path: issue.path,
        message: issue.message,
        input: issue.input,
      });
    }
  });

/** Task-level retry: the whole task is run again when its query fails. */
export const TaskRetrySchema = z.strictObject({
  /**
   * Runs of the task in all, the first included; `1` runs it once. Each run is a query with
   * its own `retry` (transient API failures are retried inside a run).
   * @defaultValue 1
   */
  attempts: positiveInt.default(1),
});

/** One task of a plan. */
export const PlanTaskSchema = z.strictObject({
  /** Unique id: names the task's output file, its git branch and its placeholder. */
  id: TaskIdSchema,
  /** What Claude is asked. `{{deps.<id>}}` is replaced by the output of dependency `<id>`. */
  prompt: z
    .string({ error: required('expected a prompt (a string)') })
    .min(1, { error: 'expected a non-empty prompt' })
    // The check every entry point makes (`parsePrompt`): not only whitespace.
    .refine((prompt) => promptIssues(prompt).length === 0, {
      error: 'expected a prompt with text in it, not a whitespace-only one',
    }),
  /**
   * Ids of the tasks that must succeed first; their outputs become this task's context.
   * @defaultValue []
   */
  dependsOn: z.array(TaskIdSchema, { error: 'expected an array of task ids' }).default([]),
  /**
   * Among ready tasks, higher runs first; ties run in plan order.
   * @defaultValue 0
   */
  priority: z
    .number({ error: 'expected an integer' })
    .int({ error: 'expected an integer' })
    .default(0),
  /** Runs of the whole task (beyond the query's own retries). */
  retry: TaskRetrySchema.optional(),
  /** Deadline of each run of the task, ms (the query's `timeouts.totalMs`). */
  timeoutMs: positiveInt.optional(),
  /** Query options of this task, over the plan's `defaults`. */
  options: PlanQueryOptionsSchema.optional(),
  /** Labels of the task's queries (stats and budgets use them). */
  tags: z.array(z.string().min(1)).optional(),
  /**
   * Run in a git worktree of its own, on branch `claude-actors/<run>/<task-id>`.
   * @defaultValue false
   */
  worktree: z.boolean().default(false),
  /**
   * Where the task's output is written by the run report, relative to the output directory:
   * `/`-separated, inside it (no `..`, not absolute, no `\`, no NUL byte), not `report.json`.
   * @defaultValue `tasks/<id>.md`
   */
  outputFile: z
    .string({ error: 'expected a relative file path (a string)' })
    .superRefine((file, ctx) => {
      const problem = taskOutputFileProblem(file);
      if (problem) ctx.addIssue({ code: 'custom', message: problem, input: file });
    })
    .optional(),
});

/**
 * A task plan: tasks with dependencies, run by `runTaskQueue` with N workers. Plain data, so a
 * plan can live in a JSON or YAML file (`loadPlan`) or come from Claude as structured output
 * (`planJsonSchema()`).
 *
 * @example
 * ```yaml
 * name: docs
 * workers: 2
 * tasks:
 *   - { id: outline, prompt: Outline the guide. }
 *   - { id: write, prompt: "Write it from {{deps.outline}}", dependsOn: [outline] }
 * ```
 */
export const PlanSchema = z.strictObject({
  /** A name for the run (report, branch names). */
  name: z.string().min(1).optional(),
  /** Workers running tasks at once; `runTaskQueue`'s `workers` option overrides it. */
  workers: positiveInt.optional(),
  /** Query options of every task; a task's `options` override them. */
  defaults: PlanQueryOptionsSchema.optional(),
  /** The tasks, in plan order (the tie-breaker between equal priorities). */
  tasks: z.array(PlanTaskSchema, { error: 'expected an array of tasks' }).min(1, {
    error: 'expected at least one task',
  }),
});

/** A plan as written (file, object literal, Claude's structured output). */
export type PlanInput = z.input<typeof PlanSchema>;

/** A task of a validated {@link Plan}. `options` stays as written (see {@link Plan}). */
export type PlanTask = Omit<z.output<typeof PlanTaskSchema>, 'options'> & {
  readonly options?: PlanQueryOptions | undefined;
};

/** Query options of a plan, as written (no defaults filled in). */
export type PlanQueryOptions = z.input<typeof PlanQueryOptionsSchema>;

/**
 * A validated plan. Task fields have their defaults; query options (`defaults`, `options`)
 * are kept as written, so that the runtime's own defaults fill in what the plan leaves out.
 */
export type Plan = Omit<z.output<typeof PlanSchema>, 'tasks' | 'defaults'> & {
  readonly defaults?: PlanQueryOptions | undefined;
  readonly tasks: readonly PlanTask[];
};
