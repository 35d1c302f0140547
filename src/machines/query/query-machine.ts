import {
  type AnyEventObject,
  and,
  assertEvent,
  assign,
  emit,
  enqueueActions,
  fromCallback,
  fromPromise,
  setup,
} from 'xstate';
import { CancelledError } from '../../core/errors/cancelled-error.js';
import { isClaudeActorsError } from '../../core/errors/claude-actors-error.js';
// Timeouts are clamped, not refused, here: an unset total timeout is a guarded no-op timer.
import { MAX_TIMER_MS } from '../../core/validation/max-timer-ms.js';
import { SpawnFailedError } from '../../process/errors/spawn-failed-error.js';
import { isApiRetry, isResultMessage, isSystemInit } from '../../protocol/cli-message-guards.js';
import type { ControlRequestMessage, ControlResponseMessage } from '../../protocol/control.js';
import { protocolError } from '../../protocol/protocol-event.js';
import { SHUTDOWN_EVENT } from '../../supervisors/shutdown-event.js';
import { controlAnswerOf, crashAnswerOf } from '../control/control-answer.js';
import { controlHandlerId, isControlHandlerId } from '../control/control-handler-id.js';
import { ControlRequestError } from '../control/errors/control-request-error.js';
import { fromControlHandler } from '../control/from-control-handler.js';
import { INITIALIZE_REQUEST_ID } from '../control/initialize-request-id.js';
import { classifyApiRetry } from './classify/classify-api-retry.js';
import { classifyExit } from './classify/classify-exit.js';
import { classifyResult } from './classify/classify-result.js';
import { parkDecision } from './classify/park-decision.js';
import { toLimiterSignal } from './classify/to-limiter-signal.js';
import { validateStructuredOutput } from './classify/validate-structured-output.js';
import { withRetryAfter } from './classify/with-retry-after.js';
import { TimeoutError } from './errors/timeout-error.js';
import { attemptFactsOf } from './history/attempt-facts-of.js';
import type { AttemptFacts } from './history/attempt-record.js';
import type { QueryEnd, QueryHistory } from './history/query-history.js';
import { startHistory } from './history/start-history.js';
import type { QueryContext } from './query-context.js';
import type { QueryInput } from './query-input.js';
import { queryProcessInput } from './query-process-input.js';
import type {
  AdmissionInput,
  AttemptReport,
  ProcessInput,
  QueryEvent,
  QueryMachineEvent,
  QueryResult,
} from './query-types.js';

const DECIDING = '#claudeQuery.running.deciding';

/** The id of the attempt's process actor, which control answers are written to. */
const PROCESS_ID = 'process';

/**
 * The life of one Claude query as a state machine, with no I/O of its own:
 *
 * `running.waitingForPermit → attempt.spawning → streaming`, then at the result (or the
 * process's end, or a timeout) `running.deciding` records the attempt in the context's
 * {@link QueryHistory} and goes on to `succeeded` | `running.retrying` (the history's backoff,
 * then a new attempt) | `failed`; `CANCEL` or the total timeout from anywhere in `running`.
 * What spans attempts lives in the history only, and every retry decision is one of its
 * functions. With `retryByRestart` (a supervised query), the actor plans the retry and ends
 * `failed`; the supervisor's restart continues the history (see {@link queryExitReason}).
 *
 * The process is the invoked actor `claudeProcess`, a placeholder here: `createQueryActor`
 * provides the real one, tests provide scripted ones with `queryMachine.provide(...)`.
 * Leaving an attempt stops that actor, which kills its process.
 *
 * A query that talks the control protocol (callbacks, in-process MCP servers: see
 * `needsControl`) answers each control request of its CLI through a `controlHandler` child
 * (`fromControlHandler`, as a session does), writes the answer to the process, and stops the
 * handlers still running when the attempt ends. Control traffic restarts the idle timer but is
 * not emitted as `query.message`; a failed callback is emitted as `query.callback_failed`.
 */
export const queryMachine = setup({
  types: {
    context: {} as QueryContext,
    events: {} as QueryMachineEvent,
    input: {} as QueryInput,
    output: {} as QueryResult,
    emitted: {} as QueryEvent,
  },
  actors: {
    claudeProcess: fromCallback<AnyEventObject, ProcessInput>(() => {
      throw new Error('queryMachine: provide the `claudeProcess` actor (see createQueryActor)');
    }),
    // The real one: it does no I/O (it calls the query's own callbacks), so every query,
    // whoever provides its process, answers its CLI the same way.
    controlHandler: fromControlHandler(),
    // Admits every attempt at once; a runtime provides one that consults its rate limiter,
    // circuit breaker and budget (and may make the attempt wait, or reject the query).
    admission: fromPromise<unknown, AdmissionInput>(async () => undefined),
  },
  delays: {
    idleTimeout: ({ context }) => Math.min(MAX_TIMER_MS, context.options.timeouts.idleMs),
    // Until the first line, `startMs` (when set) replaces the idle timeout.
    startTimeout: ({ context }) =>
      Math.min(MAX_TIMER_MS, context.options.timeouts.startMs ?? context.options.timeouts.idleMs),
    totalTimeout: ({ context }) =>
      Math.min(
        MAX_TIMER_MS,
        Math.max(0, (context.history.deadlineAt ?? Number.POSITIVE_INFINITY) - context.now()),
      ),
    // The backoff the history planned: after a failed attempt, or before a restart's first.
    retryDelay: ({ context }) => context.history.pendingDelayMs ?? 0,
  },
  guards: {
    hasTotalTimeout: ({ context }) => context.history.deadlineAt !== undefined,
    hasStartDelay: ({ context }) => (context.history.pendingDelayMs ?? 0) > 0,
    isResult: ({ event }) => event.type === 'claude.message' && isResultMessage(event.message),
    // The CLI is silent while it waits for a callback; `callbackTimeoutMs` bounds that wait.
    noCallbackRunning: ({ context }) => context.callbacksRunning.length === 0,
    isControl: ({ event }) =>
      event.type === 'claude.message' &&
      (event.message.type === 'control_request' ||
        event.message.type === 'control_response' ||
        event.message.type === 'control_cancel_request'),
    isFatalApiRetry: ({ context, event }) =>
      event.type === 'claude.message' &&
      isApiRetry(event.message) &&
      classifyApiRetry(event.message) !== undefined &&
      context.attemptError === undefined,
    attemptSucceeded: ({ context }) => context.history.last?.outcome === 'succeeded',
    canRetry: ({ context }) =>
      !context.shuttingDown && context.history.shouldRetry(context.options.retry, context.now()),
    retriesByRestart: ({ context }) => context.retryByRestart,
  },
  actions: {
    emitMessage: emit(({ context, event }) => {
      assertEvent(event, 'claude.message');
      return { type: 'query.message' as const, attempt: context.attempt, message: event.message };
    }),
    recordMessage: assign(({ context, event }) => {
      assertEvent(event, 'claude.message');
      const message = event.message;
      if (isSystemInit(message) && typeof message.session_id === 'string') {
        return { sessionId: message.session_id };
      }
      // Remember how long the CLI said to wait: the result after it does not say.
      const hint = toLimiterSignal(message);
      if (hint?.kind === 'rate_limited') {
        const ms = hint.resetsAt !== undefined ? hint.resetsAt - context.now() : hint.retryAfterMs;
        if (ms !== undefined) return { sessionId: context.sessionId, retryHintMs: ms };
      }
      return { sessionId: context.sessionId };
    }),
    recordResult: assign(({ context, event }) => {
      assertEvent(event, 'claude.message');
      if (!isResultMessage(event.message)) return {};
      const result = event.message;
      const sessionId =
        typeof result.session_id === 'string' ? result.session_id : context.sessionId;
      const error = withRetryAfter(
        classifyResult(result, errorContext(context)),
        context.retryHintMs,
      );
      const schema = context.options.outputSchema;
      if (error || !schema) return { result, sessionId, attemptError: error };
      const validated = validateStructuredOutput(schema, result, errorContext(context));
      return validated.ok
        ? { result, sessionId, attemptError: undefined, structuredOutput: validated.value }
        : { result, sessionId, attemptError: validated.error };
    }),
    /** One control line of the CLI: a request gets a handler, a cancel stops it. */
    handleControl: enqueueActions(({ context, event, enqueue, self }) => {
      assertEvent(event, 'claude.message');
      const message = event.message as { type: string; request_id?: unknown; response?: unknown };
      if (message.type === 'control_request') {
        // Without an id no answer can reach the CLI: there is nothing to wait for.
        if (typeof message.request_id !== 'string') return;
        // Not answered: an answer to a duplicate id would settle the first request in the
        // CLI, and an empty id names nothing the CLI could match.
        if (message.request_id === '' || context.callbacksRunning.includes(message.request_id)) {
          enqueue.emit({
            type: 'query.protocol_error' as const,
            attempt: context.attempt,
            error: protocolError(
              'invalid_message',
              message.request_id === ''
                ? 'control_request with an empty request_id: ignored, not answered'
                : `control_request with request_id ${JSON.stringify(message.request_id)}, already being answered: the duplicate is ignored`,
              JSON.stringify(message),
            ),
          });
          return;
        }
        enqueue.assign({ callbacksRunning: [...context.callbacksRunning, message.request_id] });
        enqueue.spawnChild('controlHandler', {
          id: controlHandlerId(message.request_id),
          input: {
            key: context.queryId,
            options: context.options,
            request: message as ControlRequestMessage,
          },
        });
      } else if (message.type === 'control_cancel_request') {
        if (typeof message.request_id !== 'string') return;
        const id = controlHandlerId(message.request_id);
        enqueue.assign({ callbacksRunning: without(context.callbacksRunning, message.request_id) });
        if (self.getSnapshot().children[id]) enqueue.stopChild(id);
      } else if (message.type === 'control_response') {
        // Only `initialize` is ever asked; the CLI refusing it fails the attempt.
        const response = (message as Partial<ControlResponseMessage>).response;
        if (response?.request_id !== INITIALIZE_REQUEST_ID || response.subtype !== 'error') {
          return;
        }
        enqueue.assign({
          attemptError: new ControlRequestError(
            'initialize',
            INITIALIZE_REQUEST_ID,
            response.error,
            response.error_code,
            errorContext(context),
          ),
        });
        enqueue.sendTo(PROCESS_ID, { type: 'KILL' });
      }
    }),
    /** A control handler ended (answered, or crashed): write its answer while the attempt runs. */
    answerCli: enqueueActions(({ context, event, enqueue, self }) => {
      const answer = event.type.startsWith('xstate.error.actor.')
        ? crashAnswerOf(event as unknown as Parameters<typeof crashAnswerOf>[0])
        : controlAnswerOf(event as unknown as Parameters<typeof controlAnswerOf>[0]);
      if (!answer) return;
      enqueue.stopChild(answer.actorId);
      // Forgotten whatever the answer: a request left counted would turn the idle timeout off.
      enqueue.assign({ callbacksRunning: without(context.callbacksRunning, answer.requestId) });
      enqueue.raise({ type: 'CONTROL_ANSWERED' });
      if (answer.failure) {
        enqueue.emit({
          type: 'query.callback_failed',
          attempt: context.attempt,
          error: answer.failure,
        });
      }
      if (answer.line === undefined || !self.getSnapshot().children[PROCESS_ID]) return;
      enqueue.sendTo(PROCESS_ID, { type: 'WRITE', line: answer.line });
    }),
    /** The attempt is over: callbacks still running are aborted (their answer has no reader). */
    stopHandlers: enqueueActions(({ enqueue, self }) => {
      for (const id of Object.keys(self.getSnapshot().children)) {
        if (isControlHandlerId(id)) enqueue.stopChild(id);
      }
    }),
    failFromApiRetry: assign(({ context, event }) => {
      assertEvent(event, 'claude.message');
      if (!isApiRetry(event.message)) return {};
      return { attemptError: classifyApiRetry(event.message, errorContext(context)) };
    }),
    recordSpawn: assign(({ event }) => {
      assertEvent(event, 'claude.spawned');
      return { pid: event.pid };
    }),
    emitSpawned: emit(({ context, event }) => {
      assertEvent(event, 'claude.spawned');
      return { type: 'query.spawned' as const, attempt: context.attempt, pid: event.pid };
    }),
    emitProtocolError: emit(({ context, event }) => {
      assertEvent(event, 'claude.protocol_error');
      return {
        type: 'query.protocol_error' as const,
        attempt: context.attempt,
        error: event.error,
      };
    }),
    recordExit: assign(({ context, event }) => {
      assertEvent(event, 'claude.exited');
      // A result already decided the attempt; the exit code after it adds nothing.
      if (context.result !== undefined || context.attemptError !== undefined) return {};
      return { attemptError: classifyExit(event.exit, errorContext(context)) };
    }),
    emitExited: emit(({ context, event }) => {
      assertEvent(event, 'claude.exited');
      return { type: 'query.exited' as const, attempt: context.attempt, exit: event.exit };
    }),
    recordActorError: assign(({ context, event }) => {
      const cause = (event as { error?: unknown }).error;
      return {
        attemptError: isClaudeActorsError(cause)
          ? cause
          : new SpawnFailedError(
              context.options.executable ?? 'claude',
              cause,
              errorContext(context),
            ),
      };
    }),
    failIdle: assign(({ context }) => ({
      attemptError: new TimeoutError(
        'idle',
        context.options.timeouts.idleMs,
        errorContext(context),
      ),
    })),
    failStart: assign(({ context }) => {
      const { startMs, idleMs } = context.options.timeouts;
      return { attemptError: new TimeoutError('idle', startMs ?? idleMs, errorContext(context)) };
    }),
    beginAttempt: assign(({ context }) => ({
      attempt: context.history.nextAttempt,
      attemptStartedAt: context.now(),
      pid: undefined,
      sessionId: context.history.sessionId,
      result: undefined,
      attemptError: undefined,
      structuredOutput: undefined,
      retryHintMs: undefined,
      callbacksRunning: [],
    })),
    recordAttempt: assign(({ context }) => ({
      history: context.history.record(
        parked(
          context,
          attemptFactsOf(context, context.attemptError || !context.result ? 'failed' : 'succeeded'),
        ),
      ),
      attemptStartedAt: undefined,
    })),
    planRetry: assign(({ context }) => ({ history: withRetryPlanned(context) })),
    emitRetrying: emit(({ context }) => retryingEvent(context)),
    markSucceeded: assign(({ context }) => ({
      end: { status: 'succeeded' as const, finishedAt: context.now() },
    })),
    markFailed: assign(({ context }) => ({
      end: { status: 'failed' as const, finishedAt: context.now() },
    })),
    markTotalTimeout: assign(({ context }) => {
      const error = new TimeoutError(
        'total',
        context.options.timeouts.totalMs ?? 0,
        errorContext(context),
      );
      const end: QueryEnd = { status: 'failed', finishedAt: context.now(), error };
      // Between attempts (a backoff), the timeout is an attempt error of its own.
      if (context.attemptStartedAt === undefined) {
        return { end: { ...end, countsAsAttemptError: true } };
      }
      return endAttempt(context, { ...attemptFactsOf(context, 'failed'), error }, end);
    }),
    markCancelled: assign(({ context, event }) => {
      const reason = event.type === 'CANCEL' ? event.reason : 'its supervisor is shutting down';
      const error = new CancelledError(reason, errorContext(context));
      const end: QueryEnd = { status: 'cancelled', finishedAt: context.now(), error };
      if (context.attemptStartedAt === undefined) return { end };
      return endAttempt(context, attemptFactsOf(context, 'aborted'), end);
    }),
    // A supervised query refused (an open breaker) is restarted within its attempts, no
    // sooner than the wait the refusal asks for; a query that retries by itself ends there.
    planRetryIfRestarted: enqueueActions(({ context, enqueue }) => {
      if (!context.retryByRestart || context.shuttingDown) return;
      if (!context.history.shouldRetry(context.options.retry, context.now())) return;
      const history = withRetryPlanned(context);
      enqueue.assign({ history });
      enqueue.emit(retryingEvent({ ...context, history }));
    }),
    markShuttingDown: assign({ shuttingDown: true }),
    holdPermit: assign({ permitHeld: true }),
    markRejected: assign(({ context, event }) => {
      const cause = (event as { error?: unknown }).error;
      const refusal = isClaudeActorsError(cause)
        ? cause
        : new SpawnFailedError('admission', cause, errorContext(context));
      // A refusal at a rate limit (the runtime's limiter is paused) parks the query too.
      const facts = parked(context, { ...attemptFactsOf(context, 'failed'), error: refusal });
      const end: QueryEnd = { status: 'failed', finishedAt: context.now(), error: facts.error };
      return endAttempt(context, facts, end);
    }),
    /**
     * Tells the admission side how an admitted attempt ended (provided by a runtime);
     * `undefined` when there is nothing to report.
     */
    reportAttempt: (_, _report: AttemptReport | undefined) => {},
    releasePermit: assign({ permitHeld: false }),
  },
}).createMachine({
  id: 'claudeQuery',
  context: ({ input }) => {
    const now = input.now ?? Date.now;
    const history = input.history ?? startHistory(input.queryId, input.options, now());
    return {
      queryId: input.queryId,
      prompt: input.prompt,
      options: input.options,
      random: input.random ?? Math.random,
      now,
      retryByRestart: input.retryByRestart ?? false,
      // Parking re-arms the total timeout with the moved deadline: only a restart does that.
      parkHorizonMs: input.retryByRestart ? input.parkHorizonMs : undefined,
      history,
      attempt: history.nextAttempt,
      attemptStartedAt: undefined,
      pid: undefined,
      sessionId: history.sessionId,
      result: undefined,
      attemptError: undefined,
      structuredOutput: undefined,
      retryHintMs: undefined,
      callbacksRunning: [],
      shuttingDown: false,
      permitHeld: false,
      end: undefined,
    };
  },
  initial: 'starting',
  states: {
    starting: {
      always: [{ guard: 'hasStartDelay', target: 'delaying' }, { target: 'running' }],
    },
    delaying: {
      after: {
        retryDelay: 'running',
        // The query's deadline holds while it waits to be retried, too.
        totalTimeout: { guard: 'hasTotalTimeout', target: 'failed', actions: 'markTotalTimeout' },
      },
      on: {
        CANCEL: { target: 'cancelled', actions: 'markCancelled' },
        [SHUTDOWN_EVENT]: { target: 'cancelled', actions: 'markCancelled' },
      },
    },
    running: {
      after: {
        totalTimeout: {
          guard: 'hasTotalTimeout',
          target: 'failed',
          actions: 'markTotalTimeout',
        },
      },
      on: {
        CANCEL: { target: 'cancelled', actions: 'markCancelled' },
        [SHUTDOWN_EVENT]: { actions: 'markShuttingDown' },
      },
      initial: 'waitingForPermit',
      states: {
        waitingForPermit: {
          // The attempt begins here: one refused, or cancelled before its permit, counts too.
          entry: 'beginAttempt',
          invoke: {
            src: 'admission',
            input: ({ context }) => ({
              queryId: context.queryId,
              attempt: context.attempt,
              options: context.options,
            }),
            onDone: { target: 'attempt', actions: 'holdPermit' },
            onError: {
              target: '#claudeQuery.rejected',
              actions: ['markRejected', 'planRetryIfRestarted'],
            },
          },
          // Shutting down starts no attempt: a query still waiting for its permit ends here.
          on: { [SHUTDOWN_EVENT]: { target: '#claudeQuery.cancelled', actions: 'markCancelled' } },
        },
        attempt: {
          exit: 'stopHandlers',
          invoke: {
            id: PROCESS_ID,
            src: 'claudeProcess',
            input: ({ context }) => queryProcessInput(context),
            onError: { target: 'deciding', actions: 'recordActorError' },
          },
          on: {
            'claude.spawned': { actions: ['recordSpawn', 'emitSpawned'] },
            'claude.protocol_error': { actions: 'emitProtocolError' },
            'claude.exited': { target: 'deciding', actions: ['emitExited', 'recordExit'] },
            // As an actor error: the attempt ends with it (the process actor killed the CLI).
            'claude.failed': { target: 'deciding', actions: 'recordActorError' },
            // Control handlers answering the CLI (they only run during an attempt).
            'xstate.done.actor.*': { actions: 'answerCli' },
            'xstate.error.actor.*': { actions: 'answerCli' },
          },
          initial: 'spawning',
          states: {
            spawning: {
              after: { startTimeout: { target: DECIDING, actions: 'failStart' } },
              on: { 'claude.message': onMessage(false) },
            },
            streaming: {
              after: {
                idleTimeout: { guard: 'noCallbackRunning', target: DECIDING, actions: 'failIdle' },
              },
              on: {
                'claude.message': onMessage(true),
                // The CLI was answered: it is expected to speak again within the idle timeout.
                CONTROL_ANSWERED: { target: 'streaming', reenter: true },
              },
            },
          },
        },
        deciding: {
          entry: [
            {
              type: 'reportAttempt',
              params: ({ context }) => ({
                queryId: context.queryId,
                attempt: context.attempt,
                outcome: context.attemptError
                  ? { ok: false as const, error: context.attemptError }
                  : { ok: true as const },
                result: context.result,
              }),
            },
            'releasePermit',
            'recordAttempt',
          ],
          always: [
            {
              guard: 'attemptSucceeded',
              target: '#claudeQuery.succeeded',
              actions: 'markSucceeded',
            },
            {
              guard: and(['canRetry', 'retriesByRestart']),
              target: '#claudeQuery.failed',
              actions: ['planRetry', 'emitRetrying', 'markFailed'],
            },
            { guard: 'canRetry', target: 'retrying', actions: ['planRetry', 'emitRetrying'] },
            { target: '#claudeQuery.failed', actions: 'markFailed' },
          ],
        },
        retrying: {
          after: { retryDelay: 'waitingForPermit' },
          on: { [SHUTDOWN_EVENT]: { target: '#claudeQuery.cancelled', actions: 'markCancelled' } },
        },
      },
    },
    succeeded: { type: 'final' },
    // An attempt ended by cancel or the total timeout never reached `deciding`.
    failed: { type: 'final', entry: { type: 'reportAttempt', params: abortedReport } },
    cancelled: { type: 'final', entry: { type: 'reportAttempt', params: abortedReport } },
    /** Refused before any process started (circuit open, budget spent, admission failed). */
    rejected: { type: 'final' },
  },
  output: ({ context }) =>
    context.history.toResult(context.end ?? { status: 'failed', finishedAt: context.now() }),
});

/**
 * What a CLI line does while an attempt runs: control traffic is answered, a fatal `api_retry`
 * ends the attempt, a result decides the attempt, anything else is streaming. From `streaming` itself the transition
 * re-enters, which restarts the idle timer: silence is measured from the last line.
 */
function onMessage(reenter: boolean) {
  return [
    { guard: 'isControl', target: 'streaming', reenter, actions: 'handleControl' },
    { guard: 'isFatalApiRetry', target: DECIDING, actions: ['emitMessage', 'failFromApiRetry'] },
    // The result decides the attempt: the CLI then exits by itself (stdin is closed), and the
    // process actor gives it `killGraceMs` to do so before it is terminated.
    { guard: 'isResult', target: DECIDING, actions: ['emitMessage', 'recordResult'] },
    { target: 'streaming', reenter, actions: ['emitMessage', 'recordMessage'] },
  ] as const;
}

function without(ids: readonly string[], id: string): readonly string[] {
  return ids.filter((other) => other !== id);
}

function abortedReport({ context }: { context: QueryContext }): AttemptReport | undefined {
  if (!context.permitHeld) return undefined;
  return {
    queryId: context.queryId,
    attempt: context.attempt,
    outcome: { ok: 'aborted' },
    result: context.result,
  };
}

function errorContext(context: QueryContext): {
  queryId: string;
  attempt: number;
  pid: number | undefined;
} {
  return { queryId: context.queryId, attempt: context.attempt, pid: context.pid };
}

/** The history with the backoff before the next attempt planned. */
function withRetryPlanned({ history, options, random, now }: QueryContext): QueryHistory {
  return history.retryIn(history.nextDelay(options.retry, random, now()));
}

function retryingEvent(context: QueryContext): Extract<QueryEvent, { type: 'query.retrying' }> {
  return {
    type: 'query.retrying',
    attempt: context.attempt,
    delayMs: context.history.pendingDelayMs ?? 0,
    error: context.history.last!.error!,
    parked: context.history.last?.parked === true,
  };
}

/** A failed attempt's facts, parked at a rate limit (or failed beyond the horizon) if it was. */
function parked(context: QueryContext, facts: AttemptFacts): AttemptFacts {
  if (facts.outcome !== 'failed' || !facts.error) return facts;
  const decision = parkDecision(
    facts.error,
    context.parkHorizonMs,
    context.now(),
    errorContext(context),
  );
  return { ...facts, error: decision.error, parked: decision.parked };
}

/** Records the current attempt and ends the query. */
function endAttempt(
  context: QueryContext,
  facts: AttemptFacts,
  end: QueryEnd,
): Pick<QueryContext, 'history' | 'attemptStartedAt' | 'end'> {
  return { history: context.history.record(facts), attemptStartedAt: undefined, end };
}
