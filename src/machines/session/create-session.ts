import { randomUUID } from 'node:crypto';
import { createActor, type InspectionEvent, type Observer } from 'xstate';
import { fromCliProcess } from '../../actors/cli-process-actor.js';
import type { ClaudeProcessDependencies } from '../../actors/cli-process-types.js';
import { redactingObserver } from '../../core/redaction/redact-inspection-event.js';
import { redactPersistence } from '../../core/redaction/redact-persistence.js';
import { fromControlHandler } from '../control/from-control-handler.js';
import type { Session } from './session.js';
import { type SessionActor, SessionHandle } from './session-handle.js';
import { sessionMachine } from './session-machine.js';
import { parseSessionOptions, type SessionOptions } from './session-options.js';

/** How a session's actor is created (not what the CLI is asked to do). */
export interface SessionDependencies extends ClaudeProcessDependencies {
  /** Local id of the session (actor id, logs, errors). @defaultValue a random UUID */
  readonly sessionKey?: string;
  /** An XState inspection observer. */
  readonly inspect?: Observer<InspectionEvent> | ((event: InspectionEvent) => void);
}

/**
 * The session machine with its real actors: the CLI process and the control request handler.
 * Give it to `createActor` (or a supervisor) with a `SessionInput`.
 */
export function sessionLogic(deps: ClaudeProcessDependencies = {}) {
  return sessionMachine.provide({
    actors: { sessionProcess: fromCliProcess(deps), controlHandler: fromControlHandler() },
  });
}

/**
 * Starts a bidirectional session: one long-lived Claude Code CLI in stream-json input mode,
 * driven as an XState actor, with turns, control requests and callbacks as RxJS and Promises.
 *
 * @example
 * ```ts
 * const session = createSession({ model: 'sonnet', canUseTool: async () => ({ behavior: 'allow' }) });
 * session.send('List the files here').subscribe((m) => show(m.type));
 * const { totalCostUsd } = await session.send('Now summarise them').result;
 * await session.close();
 * ```
 *
 * @throws {@link InvalidOptionsError} for invalid options.
 */
export function createSession(
  options: SessionOptions = {},
  deps: SessionDependencies = {},
): Session {
  const resolved = parseSessionOptions(options);
  const sessionKey = deps.sessionKey ?? randomUUID();
  const handle = new SessionHandle(sessionKey, {
    supervised: false,
    sessionId: resolved.forkSession ? undefined : resolved.resume,
  });
  const logic = redactPersistence(
    sessionLogic(deps).provide({
      actions: { attached: ({ self }) => handle.attach(self as unknown as SessionActor) },
    }),
  );
  createActor(logic, {
    id: sessionKey,
    input: { sessionKey, options: resolved },
    inspect: redactingObserver(deps.inspect),
  }).start();
  return handle;
}
