import {
  type AnyEventObject,
  assertEvent,
  assign,
  emit,
  enqueueActions,
  fromCallback,
  fromPromise,
  sendTo,
  setup,
} from 'xstate';
import type { ClaudeActorsError } from '../../core/errors/claude-actors-error.js';
import { isClaudeActorsError } from '../../core/errors/claude-actors-error.js';
import { SpawnFailedError } from '../../process/errors/spawn-failed-error.js';
import type { CliMessage } from '../../protocol/cli-message.js';
import { isResultMessage, isSystemInit } from '../../protocol/cli-message-guards.js';
import type { ControlResponseMessage } from '../../protocol/control.js';
import { controlRequest } from '../../protocol/host-message-builders.js';
import { protocolError } from '../../protocol/protocol-event.js';
import { serializeHostMessage } from '../../protocol/serialize-host-message.js';
import { SHUTDOWN_EVENT } from '../../supervisors/shutdown-event.js';
import { controlAnswerOf, crashAnswerOf } from '../control/control-answer.js';
import { controlHandlerId } from '../control/control-handler-id.js';
import type {
  ControlHandlerInput,
  ControlHandlerOutput,
} from '../control/control-handler-types.js';
import { ControlRequestError } from '../control/errors/control-request-error.js';
import { initializeRequest } from '../control/initialize-request.js';
import { INITIALIZE_REQUEST_ID } from '../control/initialize-request-id.js';
import { classifyExit } from '../query/classify/classify-exit.js';
import { ControlTimeoutError } from './errors/control-timeout-error.js';
import { SessionClosedError } from './errors/session-closed-error.js';
import { sessionProcessInput } from './session-process-input.js';
import type {
  SessionContext,
  SessionEmitted,
  SessionInput,
  SessionMachineEvent,
  SessionOutput,
  SessionProcessInput,
} from './session-types.js';

/**
 * The life of one long-lived CLI process in stream-json input mode, with no I/O of its own:
 *
 * `starting` (the `initialize` control request is in flight) → `ready` ⇄ `responding`
 * (`streaming` | `interrupted`) → `closing` (stdin closed, waiting for the exit) → `closed`;
 * the CLI dying anywhere before `closing` → `failed`.
 *
 * Both `closed` and `failed` are final states: the actor always ends `done`, and its output
 * ({@link SessionOutput}) says which; `sessionChildSpec` maps `failed` to an abnormal exit so
 * that a supervisor restarts it. The machine keeps its own turn queue (one user message is
 * written at a time, the next after the previous `result`), matches control responses to
 * requests by `request_id` (in any order, each with a timeout), and answers every control
 * request from the CLI through a `controlHandler` child (one per request; stopped when the CLI
 * cancels it).
 *
 * A hostile or confused CLI never crashes it: a control line whose `request_id` is not a
 * string fails its schema (a `session.protocol_error`); a response matching no pending request
 * (answered, timed out, never sent — `__proto__` and `constructor` included: lookups are of own
 * keys only) is a `session.protocol_error` and settles nothing; a request with an empty id, or
 * with the id of one still being answered, is a `session.protocol_error` and is **not**
 * answered (an answer would settle the first one in the CLI); an unknown request subtype is
 * answered with an error naming it; a cancel of a request not being answered is ignored.
 *
 * `sessionProcess` and `controlHandler` are placeholders: `createSession` provides the real
 * ones, tests provide scripted ones with `sessionMachine.provide(...)`. `attached` is a no-op
 * hook run once at start with `self`, which supervised sessions use to find their new actor.
 */
export const sessionMachine = setup({
  types: {
    context: {} as SessionContext,
    events: {} as SessionMachineEvent,
    input: {} as SessionInput,
    output: {} as SessionOutput,
    emitted: {} as SessionEmitted,
  },
  actors: {
    sessionProcess: fromCallback<AnyEventObject, SessionProcessInput>(() => {
      throw new Error('sessionMachine: provide the `sessionProcess` actor (see createSession)');
    }),
    controlHandler: fromPromise<ControlHandlerOutput, ControlHandlerInput>(async () => {
      throw new Error('sessionMachine: provide the `controlHandler` actor (see createSession)');
    }),
  },
  delays: {
    closeTimeout: ({ context }) => context.options.closeTimeoutMs,
  },
  guards: {
    hasQueued: ({ context }) => context.queue.length > 0,
    closeRequested: ({ context }) => context.closeRequested,
    isResult: ({ event }) => event.type === 'claude.message' && isResultMessage(event.message),
    isInitAnswer: ({ event }) =>
      event.type === 'claude.message' &&
      event.message.type === 'control_response' &&
      responseOf(event.message)?.request_id === INITIALIZE_REQUEST_ID,
    isInitTimeout: ({ event }) =>
      event.type === 'CONTROL_TIMEOUT' && event.requestId === INITIALIZE_REQUEST_ID,
    isInterrupt: ({ event }) => event.type === 'CONTROL' && event.subtype === 'interrupt',
  },
  actions: {
    attached: () => {},
    sendInitialize: enqueueActions(({ context, enqueue }) => {
      const line = serializeHostMessage(
        controlRequest(INITIALIZE_REQUEST_ID, initializeRequest(context.options)),
      );
      enqueue.assign({
        pending: {
          [INITIALIZE_REQUEST_ID]: { requestId: INITIALIZE_REQUEST_ID, subtype: 'initialize' },
        },
      });
      enqueue.sendTo('process', { type: 'WRITE', line });
      enqueue.raise(
        { type: 'CONTROL_TIMEOUT', requestId: INITIALIZE_REQUEST_ID },
        { delay: context.options.controlTimeoutMs, id: timerId(INITIALIZE_REQUEST_ID) },
      );
    }),
    recordSpawn: enqueueActions(({ event, enqueue }) => {
      assertEvent(event, 'claude.spawned');
      enqueue.assign({ pid: event.pid });
      enqueue.emit({ type: 'session.spawned', pid: event.pid });
    }),
    emitProtocolError: emit(({ event }) => {
      assertEvent(event, 'claude.protocol_error');
      return { type: 'session.protocol_error' as const, error: event.error };
    }),
    emitReady: emit(({ event }) => {
      assertEvent(event, 'claude.message');
      const response = responseOf(event.message);
      return {
        type: 'session.ready' as const,
        response: response?.subtype === 'success' ? response.response : undefined,
      };
    }),
    /** Routes one CLI line: control traffic is handled, everything else is emitted. */
    handleMessage: enqueueActions(({ context, event, enqueue, self }) => {
      assertEvent(event, 'claude.message');
      const message = event.message;
      if (message.type === 'control_response') {
        const response = responseOf(message);
        if (!response) return;
        const pending = pendingOf(context.pending, response.request_id);
        if (!pending) {
          // Answered already, timed out, or never asked (`__proto__` is no request either).
          enqueue.emit(
            strayControl(
              message,
              `control_response for request_id ${JSON.stringify(response.request_id)}, which has no pending request (answered, timed out or never sent): ignored`,
            ),
          );
          return;
        }
        enqueue.cancel(timerId(pending.requestId));
        enqueue.assign({ pending: without(context.pending, pending.requestId) });
        enqueue.emit(
          response.subtype === 'success'
            ? { type: 'control.settled', requestId: pending.requestId, response: response.response }
            : {
                type: 'control.settled',
                requestId: pending.requestId,
                error: new ControlRequestError(
                  pending.subtype,
                  pending.requestId,
                  String(response.error ?? 'unknown error'),
                  typeof response.error_code === 'string' ? response.error_code : undefined,
                  { queryId: context.sessionKey, pid: context.pid },
                ),
              },
        );
        return;
      }
      if (message.type === 'control_request') {
        const id = controlHandlerId(message.request_id);
        // Not answered: an answer to a duplicate id would settle the first request in the
        // CLI, and an empty id names nothing the CLI could match.
        if (message.request_id === '' || Object.hasOwn(self.getSnapshot().children, id)) {
          enqueue.emit(
            strayControl(
              message,
              message.request_id === ''
                ? 'control_request with an empty request_id: ignored, not answered'
                : `control_request with request_id ${JSON.stringify(message.request_id)}, already being answered: the duplicate is ignored`,
            ),
          );
          return;
        }
        enqueue.spawnChild('controlHandler', {
          id,
          input: { key: context.sessionKey, options: context.options, request: message },
        });
        return;
      }
      if (message.type === 'control_cancel_request') {
        const id = controlHandlerId(message.request_id);
        // Stopping the handler aborts the callback's signal; the CLI wants no answer.
        if (Object.hasOwn(self.getSnapshot().children, id)) enqueue.stopChild(id);
        return;
      }
      if (isSystemInit(message) && message.session_id !== context.sessionId) {
        enqueue.assign({ sessionId: message.session_id });
        enqueue.emit({ type: 'session.id_assigned', sessionId: message.session_id });
      }
      enqueue.emit({ type: 'session.message', message, turnId: context.current?.turnId });
    }),
    enqueueTurn: assign(({ context, event }) => {
      assertEvent(event, 'SEND');
      const line = context.options.verbatimPrompts ? clientComposed(event.line) : event.line;
      return { queue: [...context.queue, { turnId: event.turnId, line }] };
    }),
    startNextTurn: enqueueActions(({ context, enqueue }) => {
      const [next, ...rest] = context.queue;
      if (!next) return;
      enqueue.assign({ queue: rest, current: { ...next, interrupted: false } });
      enqueue.sendTo('process', { type: 'WRITE', line: next.line });
    }),
    completeTurn: enqueueActions(({ context, event, enqueue }) => {
      assertEvent(event, 'claude.message');
      const result = event.message;
      if (!isResultMessage(result)) return;
      const current = context.current;
      enqueue.emit({ type: 'session.message', message: result, turnId: current?.turnId });
      const total =
        typeof result.total_cost_usd === 'number' ? result.total_cost_usd : context.processCostUsd;
      enqueue.assign({
        current: undefined,
        processCostUsd: total,
        turnsCompleted: context.turnsCompleted + 1,
        sessionId: typeof result.session_id === 'string' ? result.session_id : context.sessionId,
      });
      if (!current) return;
      enqueue.emit({
        type: 'turn.completed',
        turnId: current.turnId,
        result,
        interrupted: current.interrupted,
        // The CLI's total_cost_usd is cumulative per process: a turn costs the difference.
        turnCostUsd: Math.max(0, total - context.processCostUsd),
        totalCostUsd: context.priorCostUsd + total,
      });
    }),
    markInterrupted: assign(({ context }) => ({
      current: context.current ? { ...context.current, interrupted: true } : undefined,
    })),
    sendControl: enqueueActions(({ context, event, enqueue }) => {
      assertEvent(event, 'CONTROL');
      enqueue.assign({
        pending: {
          ...context.pending,
          [event.requestId]: { requestId: event.requestId, subtype: event.subtype },
        },
      });
      enqueue.sendTo('process', { type: 'WRITE', line: event.line });
      enqueue.raise(
        { type: 'CONTROL_TIMEOUT', requestId: event.requestId },
        { delay: context.options.controlTimeoutMs, id: timerId(event.requestId) },
      );
    }),
    timeOutControl: enqueueActions(({ context, event, enqueue }) => {
      assertEvent(event, 'CONTROL_TIMEOUT');
      const pending = pendingOf(context.pending, event.requestId);
      if (!pending) return;
      enqueue.assign({ pending: without(context.pending, event.requestId) });
      enqueue.emit({
        type: 'control.settled',
        requestId: event.requestId,
        error: new ControlTimeoutError(
          pending.subtype,
          pending.requestId,
          context.options.controlTimeoutMs,
          { queryId: context.sessionKey, pid: context.pid },
        ),
      });
    }),
    failInitTimeout: assign(({ context }) => ({
      error: new ControlTimeoutError(
        'initialize',
        INITIALIZE_REQUEST_ID,
        context.options.controlTimeoutMs,
        { queryId: context.sessionKey, pid: context.pid },
      ),
    })),
    failInitError: assign(({ context, event }) => {
      assertEvent(event, 'claude.message');
      const response = responseOf(event.message);
      if (response?.subtype === 'success') return {};
      return {
        error: new ControlRequestError(
          'initialize',
          INITIALIZE_REQUEST_ID,
          String(response?.error ?? 'unknown error'),
          undefined,
          { queryId: context.sessionKey, pid: context.pid },
        ),
      };
    }),
    /** A control handler ended (answered, or crashed): write its answer, forget the handler. */
    answerCli: enqueueActions(({ event, enqueue }) => {
      const answer = event.type.startsWith('xstate.error.actor.')
        ? crashAnswerOf(event as unknown as Parameters<typeof crashAnswerOf>[0])
        : controlAnswerOf(event as unknown as Parameters<typeof controlAnswerOf>[0]);
      if (!answer) return;
      enqueue.stopChild(answer.actorId);
      if (answer.failure) enqueue.emit({ type: 'session.callback_failed', error: answer.failure });
      if (answer.line !== undefined) {
        enqueue.sendTo('process', { type: 'WRITE', line: answer.line });
      }
    }),
    recordExitFailure: assign(({ context, event }) => {
      assertEvent(event, 'claude.exited');
      return { error: classifyExit(event.exit, { queryId: context.sessionKey, pid: context.pid }) };
    }),
    emitExited: emit(({ event }) => {
      assertEvent(event, 'claude.exited');
      return { type: 'session.exited' as const, exit: event.exit };
    }),
    recordActorError: assign(({ context, event }) => {
      const cause = (event as { error?: unknown }).error;
      return {
        error: isClaudeActorsError(cause)
          ? cause
          : new SpawnFailedError(context.options.executable ?? 'claude', cause, {
              queryId: context.sessionKey,
            }),
      };
    }),
    requestClose: assign({ closeRequested: true }),
    requestShutdown: enqueueActions(({ context, enqueue }) => {
      // A supervisor stopping us: finish the running turn, drop the ones not started.
      const error = closedError(context, 'turn', 'its supervisor is shutting it down');
      for (const turn of context.queue) {
        enqueue.emit({ type: 'turn.failed', turnId: turn.turnId, error });
      }
      enqueue.assign({ queue: [], closeRequested: true, ending: 'shutdown' });
    }),
    closeInput: sendTo('process', { type: 'CLOSE_INPUT' }),
    killProcess: sendTo('process', { type: 'KILL' }),
    markKilled: assign({ ending: 'killed' as const }),
    rejectTurn: emit(({ context, event }) => {
      assertEvent(event, 'SEND');
      return {
        type: 'turn.failed' as const,
        turnId: event.turnId,
        error: closedError(context, 'turn', 'it is closing'),
      };
    }),
    rejectControl: emit(({ context, event }) => {
      assertEvent(event, 'CONTROL');
      return {
        type: 'control.settled' as const,
        requestId: event.requestId,
        error: closedError(context, event.subtype, 'it is closing'),
      };
    }),
    /** Everything still waiting ends with `error` (the failure, or a closed-session error). */
    settleAll: enqueueActions(({ context, enqueue }) => {
      const turnError =
        context.error ?? closedError(context, 'turn', `it was ${context.ending ?? 'closed'}`);
      for (const turn of [...(context.current ? [context.current] : []), ...context.queue]) {
        enqueue.emit({ type: 'turn.failed', turnId: turn.turnId, error: turnError });
      }
      for (const pending of Object.values(context.pending)) {
        enqueue.cancel(timerId(pending.requestId));
        enqueue.emit({
          type: 'control.settled',
          requestId: pending.requestId,
          error: closedError(context, pending.subtype, 'it ended', context.error),
        });
      }
      enqueue.assign({ current: undefined, queue: [], pending: {} });
    }),
  },
}).createMachine({
  id: 'claudeSession',
  context: ({ input }) => {
    const { options } = input;
    return {
      sessionKey: input.sessionKey,
      options,
      pid: undefined,
      sessionId: options.forkSession ? undefined : (options.resume ?? options.sessionId),
      queue: [],
      current: undefined,
      pending: {},
      processCostUsd: 0,
      priorCostUsd: input.priorCostUsd ?? 0,
      closeRequested: false,
      ending: undefined,
      error: undefined,
      turnsCompleted: 0,
    };
  },
  invoke: {
    id: 'process',
    src: 'sessionProcess',
    input: ({ context }) => sessionProcessInput(context),
    onError: { target: '.failed', actions: 'recordActorError' },
  },
  entry: ['attached', 'sendInitialize'],
  on: {
    'claude.spawned': { actions: 'recordSpawn' },
    'claude.protocol_error': { actions: 'emitProtocolError' },
    CONTROL_TIMEOUT: { actions: 'timeOutControl' },
    'xstate.done.actor.*': { actions: 'answerCli' },
    'xstate.error.actor.*': { actions: 'answerCli' },
  },
  initial: 'starting',
  states: {
    starting: {
      on: {
        'claude.message': [
          {
            guard: 'isInitAnswer',
            target: 'ready',
            actions: ['handleMessage', 'failInitError', 'emitReady'],
          },
          { actions: 'handleMessage' },
        ],
        CONTROL_TIMEOUT: [
          { guard: 'isInitTimeout', target: 'failed', actions: 'failInitTimeout' },
          { actions: 'timeOutControl' },
        ],
        SEND: { actions: 'enqueueTurn' },
        CONTROL: { actions: 'sendControl' },
        CLOSE: { actions: 'requestClose' },
        [SHUTDOWN_EVENT]: { actions: 'requestShutdown' },
        KILL: { target: 'closing', actions: ['markKilled', 'killProcess'] },
        'claude.exited': { target: 'failed', actions: ['emitExited', 'recordExitFailure'] },
      },
    },
    ready: {
      always: [
        // An `initialize` the CLI refused leaves the session unusable.
        { guard: ({ context }) => context.error !== undefined, target: 'failed' },
        { guard: 'hasQueued', target: 'responding', actions: 'startNextTurn' },
        { guard: 'closeRequested', target: 'closing' },
      ],
      on: {
        'claude.message': { actions: 'handleMessage' },
        SEND: { target: 'ready', reenter: true, actions: 'enqueueTurn' },
        CONTROL: { actions: 'sendControl' },
        CLOSE: { target: 'closing' },
        [SHUTDOWN_EVENT]: { target: 'closing', actions: 'requestShutdown' },
        KILL: { target: 'closing', actions: ['markKilled', 'killProcess'] },
        'claude.exited': { target: 'failed', actions: ['emitExited', 'recordExitFailure'] },
      },
    },
    responding: {
      initial: 'streaming',
      on: {
        'claude.message': [
          { guard: 'isResult', target: 'ready', actions: 'completeTurn' },
          { actions: 'handleMessage' },
        ],
        SEND: { actions: 'enqueueTurn' },
        CONTROL: [
          {
            guard: 'isInterrupt',
            target: '.interrupted',
            actions: ['sendControl', 'markInterrupted'],
          },
          { actions: 'sendControl' },
        ],
        CLOSE: { actions: 'requestClose' },
        [SHUTDOWN_EVENT]: { actions: 'requestShutdown' },
        KILL: { target: 'closing', actions: ['markKilled', 'killProcess'] },
        'claude.exited': { target: 'failed', actions: ['emitExited', 'recordExitFailure'] },
      },
      states: {
        streaming: {},
        /** Interrupt sent: the CLI ends the turn with an `error_during_execution` result. */
        interrupted: {},
      },
    },
    closing: {
      // stdin closed: the CLI exits once idle. Past the grace, it is killed.
      entry: 'closeInput',
      after: { closeTimeout: { actions: 'killProcess' } },
      on: {
        'claude.message': [
          { guard: 'isResult', actions: 'completeTurn' },
          { actions: 'handleMessage' },
        ],
        SEND: { actions: 'rejectTurn' },
        CONTROL: { actions: 'rejectControl' },
        KILL: { actions: ['markKilled', 'killProcess'] },
        'claude.exited': { target: 'closed', actions: 'emitExited' },
      },
    },
    closed: { type: 'final', entry: 'settleAll' },
    failed: { type: 'final', entry: 'settleAll' },
  },
  output: ({ context }): SessionOutput => {
    const common = {
      sessionId: context.sessionId,
      totalCostUsd: context.priorCostUsd + context.processCostUsd,
      turns: context.turnsCompleted,
    };
    return context.error
      ? { status: 'failed', error: context.error, ...common }
      : { status: 'closed', reason: context.ending ?? 'closed', ...common };
  },
});

/** A serialised user message marked `client_composed`: the CLI takes its text as written. */
function clientComposed(line: string): string {
  const message = JSON.parse(line) as Record<string, unknown>;
  return message.type === 'user'
    ? `${JSON.stringify({ ...message, client_composed: true })}\n`
    : line;
}

function timerId(requestId: string): string {
  return `control-timeout:${requestId}`;
}

function responseOf(message: CliMessage): ControlResponseMessage['response'] | undefined {
  return message.type === 'control_response' ? message.response : undefined;
}

/** The pending request `requestId`: own keys only, so `__proto__` or `constructor` is none. */
function pendingOf<T>(pending: Readonly<Record<string, T>>, requestId: string): T | undefined {
  return Object.hasOwn(pending, requestId) ? pending[requestId] : undefined;
}

/** The protocol event of a well-formed control message that matches no request. */
function strayControl(message: CliMessage, detail: string) {
  return {
    type: 'session.protocol_error' as const,
    error: protocolError('invalid_message', detail, JSON.stringify(message)),
  };
}

function without<T>(record: Readonly<Record<string, T>>, key: string): Record<string, T> {
  const { [key]: _removed, ...rest } = record;
  return rest;
}

function closedError(
  context: SessionContext,
  operation: string,
  why: string,
  cause?: ClaudeActorsError,
): SessionClosedError {
  return new SessionClosedError(operation, why, {
    sessionKey: context.sessionKey,
    pid: context.pid,
    cause,
  });
}
