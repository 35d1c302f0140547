import type { QueryOptions } from '../../machines/query/options/query-options.js';
import type { PlanQueryOptions, PlanTask } from '../plan/plan-schema.js';

/**
 * The query options of a task: the plan's `defaults`, then the task's `options` (the `timeouts`,
 * `retry` and `env` groups merge one level deep, as the runtime merges its own defaults), then
 * the task's `timeoutMs` as `timeouts.totalMs`, and its worktree as `cwd`.
 */
export function taskQueryOptions(
  defaults: PlanQueryOptions | undefined,
  task: Pick<PlanTask, 'options' | 'timeoutMs'>,
  worktreePath?: string,
): QueryOptions {
  const base = defaults ?? {};
  const own = task.options ?? {};
  const merged: QueryOptions = {
    ...base,
    ...own,
    timeouts: {
      ...base.timeouts,
      ...own.timeouts,
      ...(task.timeoutMs === undefined ? {} : { totalMs: task.timeoutMs }),
    },
    retry: { ...base.retry, ...own.retry },
  };
  if (base.env || own.env) merged.env = { ...base.env, ...own.env };
  if (worktreePath !== undefined) merged.cwd = worktreePath;
  return merged;
}
