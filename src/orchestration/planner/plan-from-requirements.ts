import type { QueryOptions } from '../../machines/query/options/query-options.js';
import type { QueryRunner } from '../patterns/pattern-types.js';
import { withRetry } from '../patterns/with-retry.js';
import { parsePlan } from '../plan/parse-plan.js';
import { planJsonSchema } from '../plan/plan-json-schema.js';
import type { Plan } from '../plan/plan-schema.js';
import { PlannerError } from './planner-error.js';

/** Options of {@link planFromRequirements}. */
export interface PlannerOptions {
  /** The worker budget M: the plan may use at most this many workers. @defaultValue 4 */
  readonly maxWorkers?: number;
  /** Attempts to get a valid plan (each failed one is told why). @defaultValue 3 */
  readonly attempts?: number;
  /** Options of the planning query (model, timeouts…). */
  readonly options?: QueryOptions;
}

/** A plan Claude wrote, validated. */
export interface PlannedRun {
  readonly plan: Plan;
  /** Planning queries it took. */
  readonly attempts: number;
  readonly costUsd: number;
}

/** The planning instructions; the requirements follow them. */
export function plannerPrompt(requirements: string, maxWorkers: number, feedback?: string): string {
  return [
    'You are a planner for a task runner that executes Claude Code tasks in parallel.',
    `Split the requirements below into tasks that at most ${maxWorkers} workers can run in parallel.`,
    'Each task needs a short unique id (letters, digits, - or _), a self-contained prompt, and',
    '`dependsOn` listing the ids of the tasks whose output it needs (the task runner gives it',
    'their outputs). Dependencies must not form a cycle. Prefer independent tasks where possible.',
    `Set "workers" to at most ${maxWorkers}. Answer only through the structured output.`,
    ...(feedback
      ? ['', `Your previous plan was rejected: ${feedback}`, 'Return a corrected plan.']
      : []),
    '',
    '<requirements>',
    requirements,
    '</requirements>',
  ].join('\n');
}

/**
 * Turns free-form requirements into a task plan by asking Claude for structured output that
 * matches the plan schema. The plan is validated as a plan file would be (fields, unknown
 * dependencies, cycles); an invalid one is asked for again with the validation error. The
 * worker count is capped at `maxWorkers`.
 *
 * @throws {@link PlannerError} when no attempt produced a valid plan (with every rejection and
 *   the last output).
 */
export async function planFromRequirements(
  runtime: QueryRunner,
  requirements: string,
  options: PlannerOptions = {},
): Promise<PlannedRun> {
  const { maxWorkers = 4, attempts = 3 } = options;
  if (!Number.isInteger(maxWorkers) || maxWorkers < 1) {
    throw new RangeError(`Expected \`maxWorkers\` to be a positive integer, got \`${maxWorkers}\``);
  }
  // The CLI rejects the draft 2020-12 meta-schema URI; the schema itself is what counts.
  const { $schema: _ignored, ...jsonSchema } = planJsonSchema();
  const rejections: string[] = [];
  let plan: Plan | undefined;
  let costUsd = 0;
  const result = await withRetry(
    ({ feedback }) =>
      runtime.query(plannerPrompt(requirements, maxWorkers, feedback), {
        ...options.options,
        jsonSchema,
      }).result,
    {
      attempts,
      validate: (candidate) => {
        costUsd += candidate.costUsd;
        try {
          const parsed = parsePlan(candidate.structuredOutput ?? safeJson(candidate.text));
          plan = { ...parsed, workers: Math.min(parsed.workers ?? maxWorkers, maxWorkers) };
          return true;
        } catch (error) {
          const message = error instanceof Error ? error.message : String(error);
          rejections.push(message);
          return message;
        }
      },
    },
  );
  if (result.status !== 'succeeded' || !plan) {
    if (result.status === 'failed' && rejections.length === 0) {
      rejections.push(result.error?.message ?? 'the planning query failed');
    }
    throw new PlannerError(rejections, result.structuredOutput ?? result.text);
  }
  return { plan, attempts: result.patternAttempts, costUsd };
}

function safeJson(text: string | undefined): unknown {
  if (text === undefined) return undefined;
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}
