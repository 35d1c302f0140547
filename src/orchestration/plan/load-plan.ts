import { readFile } from 'node:fs/promises';
import { extname } from 'node:path';
import { parse as parseYaml } from 'yaml';
import { InvalidPlanError } from './errors/invalid-plan-error.js';
import { parsePlan } from './parse-plan.js';
import type { Plan } from './plan-schema.js';

/** How a plan file is read: by extension, else by its first character. */
function formatOf(path: string, text: string): 'json' | 'yaml' {
  const extension = extname(path).toLowerCase();
  if (extension === '.json') return 'json';
  if (extension === '.yaml' || extension === '.yml') return 'yaml';
  return /^\s*[[{]/.test(text) ? 'json' : 'yaml';
}

/**
 * Reads a plan from a JSON or YAML file (by extension: `.json`, `.yaml`, `.yml`; otherwise by
 * content), validates it with {@link parsePlan}, and returns it.
 *
 * @throws {@link InvalidPlanError} when the file cannot be read, is not valid JSON/YAML (the
 *   message gives the parser's line and column), or a field is invalid (the message names the
 *   task, the field and the value).
 * @throws {@link PlanGraphError} for duplicate ids, unknown dependencies and cycles.
 * @example
 * ```ts
 * const plan = await loadPlan('examples/plans/diamond.yaml');
 * const { result } = runTaskQueue(runtime, plan, { workers: 2 });
 * ```
 */
export async function loadPlan(path: string): Promise<Plan> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (cause) {
    const reason = (cause as NodeJS.ErrnoException).code ?? String(cause);
    throw new InvalidPlanError(
      [
        {
          path: '',
          taskId: undefined,
          message: `the file cannot be read (${reason})`,
          received: '',
        },
      ],
      { source: path, cause },
    );
  }
  const format = formatOf(path, text);
  let data: unknown;
  try {
    data = format === 'json' ? JSON.parse(text) : parseYaml(text);
  } catch (cause) {
    const detail = cause instanceof Error ? cause.message.split('\n')[0] : String(cause);
    throw new InvalidPlanError(
      [
        {
          path: '',
          taskId: undefined,
          message: `not valid ${format.toUpperCase()}: ${detail}`,
          received: '',
        },
      ],
      { source: path, cause },
    );
  }
  return parsePlan(data, { source: path });
}
