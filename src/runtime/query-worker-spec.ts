import { fromCliProcess } from '../actors/cli-process-actor.js';
import type { ClaudeProcessDependencies } from '../actors/cli-process-types.js';
import { redactPersistence } from '../core/redaction/redact-persistence.js';
import { queryMachine } from '../machines/query/query-machine.js';
import type { QueryResult } from '../machines/query/query-types.js';
import { retryDelay } from '../machines/query/retry/retry-delay.js';
import type { ChildEnd, ChildSpec, ExitReason } from '../supervisors/types.js';
import type { QueryTicket } from './query-ticket.js';
import type { SystemActors } from './system-actors.js';

/**
 * The child spec of every runtime query (the template of a simple_one_for_one supervisor):
 * one actor instance runs one attempt; a retryable failure is an abnormal exit, so the
 * supervisor restarts the query, and the new instance waits out the retry backoff before its
 * attempt. Restarts are therefore visible in the supervision tree and the inspector.
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
      ticket.attempts += 1;
      // What is left of the budget caps the CLI's own spending (`--max-budget-usd`).
      const left = system?.remainingUsd(ticket.tags);
      const maxBudgetUsd =
        left === undefined
          ? ticket.options.maxBudgetUsd
          : Math.min(
              ticket.options.maxBudgetUsd ?? Number.POSITIVE_INFINITY,
              Math.max(left, 0.0001),
            );
      return {
        logic,
        input: {
          queryId: ticket.queryId,
          prompt: ticket.prompt,
          // The supervisor does the retrying: each instance makes exactly one attempt.
          options: {
            ...ticket.options,
            maxBudgetUsd,
            retry: { ...ticket.options.retry, maxAttempts: 1 },
          },
          firstAttempt: ticket.attempts,
          startDelayMs: ticket.nextDelayMs,
          // `timeouts.totalMs` is the whole query's: every instance keeps the first one's clock.
          deadlineAt: deadlineOf(ticket),
          random,
        },
      };
    },
    exitReason: (end: ChildEnd, args: readonly unknown[]): ExitReason => {
      const ticket = args[0] as QueryTicket;
      const deadline = deadlineOf(ticket);
      const canRetry =
        ticket.attempts < ticket.options.retry.maxAttempts &&
        !ticket.cancelled &&
        (deadline === undefined || Date.now() < deadline);
      if (end.status === 'error') {
        // The actor itself crashed (no output). Restart it while attempts are left; after that
        // it ends normally for the supervisor and the ticket reports the crash.
        if (canRetry) return { abnormal: end.error };
        ticket.crashError = end.error;
        return 'normal';
      }
      const output = end.output as QueryResult;
      ticket.lastOutput = output;
      // A query refused by an open (or busy half-open) breaker is restarted like any retryable
      // failure, within its retry budget, no sooner than the breaker's next probe: a burst of
      // queries queued behind a storm waits the breaker out instead of failing together.
      if (output.status !== 'failed' || !output.error?.retryable || !canRetry) {
        return 'normal';
      }
      ticket.recordFailedAttempt(output);
      ticket.lastOutput = undefined;
      ticket.nextDelayMs = retryDelay(ticket.options.retry, ticket.attempts, output.error, random);
      return { abnormal: output.error };
    },
  };
}

function deadlineOf(ticket: QueryTicket): number | undefined {
  const totalMs = ticket.options.timeouts.totalMs;
  return totalMs === undefined ? undefined : ticket.startedAt + totalMs;
}
