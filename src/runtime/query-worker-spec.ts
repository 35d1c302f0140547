import { fromCliProcess } from '../actors/cli-process-actor.js';
import type { ClaudeProcessDependencies } from '../actors/cli-process-types.js';
import { redactPersistence } from '../core/redaction/redact-persistence.js';
import { queryExitReason } from '../machines/query/history/query-exit-reason.js';
import { queryMachine } from '../machines/query/query-machine.js';
import type { ChildEnd, ChildSpec, ExitReason } from '../supervisors/types.js';
import type { QueryTicket } from './query-ticket.js';
import type { SystemActors } from './system-actors.js';

/**
 * The child spec of every runtime query (the template of a simple_one_for_one supervisor):
 * one actor instance runs one attempt and retries by restart. A retryable failure is planned
 * in the instance's history and is an abnormal exit, so the supervisor restarts the query; the
 * new instance continues that history and waits out the backoff it planned before its attempt.
 * Restarts are therefore visible in the supervision tree and the inspector.
 *
 * @internal
 */
export function queryWorkerSpec(
  processes: ClaudeProcessDependencies,
  system?: SystemActors,
  random: () => number = Math.random,
): ChildSpec {
  const logic = redactPersistence(
    system
      ? queryMachine.provide({
          actors: {
            claudeProcess: fromCliProcess(processes),
            admission: system.admission() as never,
          },
          // Out of the action: the report sends to other actors, which must not run inside it.
          actions: { reportAttempt: (_, report) => queueMicrotask(() => system.report(report)) },
        })
      : queryMachine.provide({ actors: { claudeProcess: fromCliProcess(processes) } }),
  );
  return {
    id: 'query',
    restart: 'transient',
    // The runtime's deadline decides when a query is cut short (it cancels what is left), so
    // the supervisor waits for its queries to end rather than keeping a second clock.
    shutdown: 'infinity',
    start: (...args) => {
      const ticket = args[0] as QueryTicket;
      // What is left of the budget caps the CLI's own spending (`--max-budget-usd`).
      const left = system?.remainingUsd(ticket.tags);
      const maxBudgetUsd =
        left === undefined
          ? ticket.options.maxBudgetUsd
          : Math.min(
              ticket.options.maxBudgetUsd ?? Number.POSITIVE_INFINITY,
              Math.max(left, 0.0001),
            );
      // The attempt's span context goes to its CLI (`TRACEPARENT`), so the CLI's spans nest.
      const traceEnv = ticket.observer?.attemptStarted(ticket.history.attempts.length + 1);
      const env = traceEnv ? { ...ticket.options.env, ...traceEnv } : ticket.options.env;
      return {
        logic,
        input: {
          queryId: ticket.queryId,
          prompt: ticket.prompt,
          options: { ...ticket.options, maxBudgetUsd, env },
          // The previous instance's history: attempts, costs, the deadline, the planned backoff.
          history: ticket.history,
          retryByRestart: true,
          // Rate limits that reset within the limiter's horizon park the query.
          parkHorizonMs: system?.parkHorizonMs(),
          random,
        },
      };
    },
    exitReason: (end: ChildEnd, args: readonly unknown[]): ExitReason => {
      const ticket = args[0] as QueryTicket;
      return queryExitReason(ticket.history, end, {
        policy: ticket.options.retry,
        now: Date.now(),
        cancelled: ticket.cancelled !== undefined,
      });
    },
  };
}
