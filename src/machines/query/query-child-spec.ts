import { randomUUID } from 'node:crypto';
import { fromCliProcess } from '../../actors/cli-process-actor.js';
import type { ClaudeProcessDependencies } from '../../actors/cli-process-types.js';
import { redactPersistence } from '../../core/redaction/redact-persistence.js';
import type { ChildEnd, ChildSpec, ExitReason } from '../../supervisors/types.js';
import { historySoFar } from './history/history-so-far.js';
import { queryExitReason } from './history/query-exit-reason.js';
import type { QueryHistory } from './history/query-history.js';
import { parseQueryOptions } from './options/parse-options.js';
import { parsePrompt } from './options/parse-prompt.js';
import type { QueryOptions } from './options/query-options.js';
import type { QueryContext } from './query-context.js';
import { queryMachine } from './query-machine.js';
import type { QueryPrompt } from './query-types.js';

/** What {@link queryChildSpec} takes besides the prompt. */
export interface QueryChildSpecOptions
  extends Partial<Omit<ChildSpec, 'id' | 'start' | 'exitReason'>>,
    ClaudeProcessDependencies {}

/** The query a child is running, across the instances that retry it. */
interface Running {
  readonly queryId: string;
  readonly history: QueryHistory | undefined;
}

/**
 * A child spec that runs one Claude query under any supervisor, retrying it by restart as the
 * runtime does: each instance makes one attempt; a retryable failure with attempts and time
 * left (the query's `retry` and `timeouts.totalMs`) is planned in the query's history and is an
 * abnormal exit, so the supervisor restarts the child (counted against its intensity) and the
 * new instance continues the same query — same id, its history, after the planned backoff.
 * Anything else ends the query: a later restart (a `permanent` child, a group restart) starts
 * a new one. Defaults: `transient`, 5000 ms shutdown.
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
  // Queries planned for a restart, picked up by the next instance this spec starts. Children
  // of one spec run the same prompt with the same options, so any of them may continue any.
  const toContinue: Running[] = [];
  const restart = childSpec.restart ?? 'transient';
  return {
    restart: 'transient',
    ...childSpec,
    id,
    start: () => {
      const current = toContinue.shift() ?? {
        queryId: `${id}-${randomUUID()}`,
        history: undefined,
      };
      return {
        logic,
        input: {
          queryId: current.queryId,
          prompt,
          options: resolved,
          history: current.history,
          retryByRestart: true,
        },
      };
    },
    exitReason: (end: ChildEnd): ExitReason => {
      const context = (end.snapshot as { context?: QueryContext } | undefined)?.context;
      if (!context) return end.status === 'error' ? { abnormal: end.error } : 'normal';
      const history = historySoFar(context);
      const reason = queryExitReason(history, end, { policy: resolved.retry, now: Date.now() });
      // A planned retry continues this query in the next instance; anything else ends it.
      if (typeof reason === 'object' && restart !== 'temporary') {
        toContinue.push({ queryId: context.queryId, history });
      }
      return reason;
    },
  };
}
