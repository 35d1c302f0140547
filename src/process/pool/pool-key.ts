import type { SpawnClaudeOptions } from '../spawn/spawn-claude.js';

/**
 * The W3C trace context a runtime gives each attempt's CLI: different for every query, so not
 * part of the configuration. A warm process was started before the query and carries none.
 */
const TRACE_CONTEXT = new Set(['TRACEPARENT', 'TRACESTATE']);

/**
 * The configuration a process was started with, as a key: executable, argv, environment and
 * working directory. The prompt is not part of it (it goes to stdin), so any query with the same
 * options can use a process started for another.
 */
export function poolKey(options: SpawnClaudeOptions): string {
  const env = Object.entries(options.env)
    .filter(([name]) => !TRACE_CONTEXT.has(name))
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return JSON.stringify([
    options.executable,
    withoutBudgetCap(options.args),
    env,
    options.cwd ?? null,
  ]);
}

/**
 * argv without `--max-budget-usd <n>`: a runtime caps each query at the budget left, which
 * changes with every query. A warm process carries the cap computed when it was started, which
 * can only be higher than what is left now (spending only grows): the budget actor still
 * refuses queries once it is spent.
 */
function withoutBudgetCap(args: readonly string[]): readonly string[] {
  const i = args.indexOf('--max-budget-usd');
  return i < 0 ? args : [...args.slice(0, i), ...args.slice(i + 2)];
}
