import { createHash } from 'node:crypto';
import type { Plan } from '../plan/plan-schema.js';

/** The hashes by which a resume tells whether a plan changed. */
export interface PlanHashes {
  /** Of the whole normalised plan: `defaults` and every task, in plan order. */
  readonly planHash: string;
  /** Of each task with the plan's `defaults` (they shape its query), in plan order. */
  readonly tasks: ReadonlyArray<{ readonly taskId: string; readonly hash: string }>;
}

/** JSON with object keys sorted and `undefined` members left out: equal plans, equal text. */
function canonical(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map((item) => canonical(item ?? null)).join(',')}]`;
  if (typeof value === 'object' && value !== null) {
    const entries = Object.entries(value)
      .filter(([, item]) => item !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([key, item]) => `${JSON.stringify(key)}:${canonical(item)}`).join(',')}}`;
  }
  return JSON.stringify(value);
}

const sha256 = (text: string): string => createHash('sha256').update(text).digest('hex');

/**
 * Hashes a validated plan (defaults filled in, so `dependsOn: []` and a missing `dependsOn`
 * hash alike; key order does not matter). A task's hash covers its prompt, dependencies,
 * priority, retry, timeout, options, tags, worktree and output file, and the plan's
 * `defaults`; the plan's `name` and `workers` are not part of any hash (they change neither a
 * prompt nor an output). Only hashes are kept: a plan's `env` values never reach the store.
 *
 * @example
 * ```ts
 * planHashes(parsePlan({ tasks: [{ id: 'a', prompt: 'A' }] })).tasks[0].hash; // 64 hex digits
 * ```
 */
export function planHashes(plan: Plan): PlanHashes {
  const defaults = plan.defaults ?? null;
  const tasks = plan.tasks.map((task) => ({
    taskId: task.id,
    hash: sha256(canonical({ task, defaults })),
  }));
  return { planHash: sha256(canonical({ defaults, tasks: plan.tasks })), tasks };
}
