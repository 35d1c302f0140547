import { randomUUID } from 'node:crypto';
import { fromCliProcess } from '../../actors/cli-process-actor.js';
import type { ClaudeProcessDependencies } from '../../actors/cli-process-types.js';
import { redactPersistence } from '../../core/redaction/redact-persistence.js';
import type { ChildSpec, ExitReason } from '../../supervisors/types.js';
import { parseQueryOptions } from './options/parse-options.js';
import { parsePrompt } from './options/parse-prompt.js';
import type { QueryOptions } from './options/query-options.js';
import { queryMachine } from './query-machine.js';
import type { QueryPrompt, QueryResult } from './query-types.js';

/** What {@link queryChildSpec} takes besides the prompt. */
export interface QueryChildSpecOptions
  extends Partial<Omit<ChildSpec, 'id' | 'start' | 'exitReason'>>,
    ClaudeProcessDependencies {}

/**
 * A child spec that runs one Claude query under any supervisor. Each instance makes one
 * attempt (the supervisor does the restarting); an instance that fails with a retryable
 * error exits abnormally, so `permanent` and `transient` children are restarted by their
 * supervisor's strategy, counted against its intensity. Defaults: `transient`, 5000 ms shutdown.
 *
 * @example
 * createSupervisor({ strategy: 'one_for_all', intensity: 3 }, [
 *   queryChildSpec('summary', 'Summarise README.md'),
 *   queryChildSpec('review', 'Review src/index.ts', { maxTurns: 3 }),
 * ]);
 *
 * @throws {@link InvalidOptionsError} for invalid query options or an invalid prompt.
 */
export function queryChildSpec(
  id: string,
  prompt: QueryPrompt,
  options: QueryOptions = {},
  spec: QueryChildSpecOptions = {},
): ChildSpec {
  const { spawn, parentEnv, logger, ...childSpec } = spec;
  parsePrompt(prompt);
  const resolved = parseQueryOptions(options);
  const logic = redactPersistence(
    queryMachine.provide({
      actors: { claudeProcess: fromCliProcess({ spawn, parentEnv, logger }) },
    }),
  );
  return {
    restart: 'transient',
    ...childSpec,
    id,
    // Each instance is a query of its own making one attempt; the supervisor's strategy and
    // intensity decide what a retryable failure (an abnormal exit) does.
    start: () => ({
      logic,
      input: {
        queryId: `${id}-${randomUUID()}`,
        prompt,
        options: { ...resolved, retry: { ...resolved.retry, maxAttempts: 1 } },
      },
    }),
    exitReason: (end): ExitReason => {
      if (end.status === 'error') return { abnormal: end.error };
      const output = end.output as QueryResult;
      return output.status === 'failed' && output.error?.retryable
        ? { abnormal: output.error }
        : 'normal';
    },
  };
}
