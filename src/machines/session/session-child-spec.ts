import { randomUUID } from 'node:crypto';
import type { ClaudeProcessDependencies } from '../../actors/cli-process-types.js';
import { redactPersistence } from '../../core/redaction/redact-persistence.js';
import type { ChildSpec, ExitReason } from '../../supervisors/types.js';
import { sessionLogic } from './create-session.js';
import type { Session } from './session.js';
import { type SessionActor, SessionHandle } from './session-handle.js';
import { parseSessionOptions, type SessionOptions } from './session-options.js';
import type { SessionInput, SessionOutput } from './session-types.js';
import type { TurnAdmission } from './turn-admission.js';

/** What {@link sessionChildSpec} takes besides the session options. */
export interface SessionChildSpecOptions
  extends Partial<Omit<ChildSpec, 'id' | 'start' | 'exitReason'>>,
    ClaudeProcessDependencies {
  /** Admits each turn and accounts for it (a runtime's limiter, breaker and budget). */
  readonly admission?: TurnAdmission | undefined;
}

/** A child spec that runs a session, and the {@link Session} that follows it across restarts. */
export interface SessionChildSpec extends ChildSpec {
  readonly session: Session;
  /**
   * Tell the session its supervisor will not restart it after all (it gave up): a session
   * waiting for a restart then ends with its last failure instead of waiting forever.
   */
  abandon(): void;
}

/**
 * A child spec that runs a session under any supervisor, with a {@link Session} that outlives
 * restarts. A CLI that dies ends the actor in its `failed` state, mapped to an abnormal exit:
 * `permanent` and `transient` children are restarted. Each restart resumes the same CLI session
 * (`--resume <id>`) when its id is known, so the conversation goes on; the caller is told on
 * `session.lifecycle$` (`session.failed`, then `session.restarted`), and the turn that was
 * running fails with the exit error. Turns sent during the restart are queued for the new CLI.
 * `close()` and `kill()` end the child normally. Defaults: `transient`, 5000 ms shutdown (the
 * supervisor's shutdown finishes the running turn, then closes).
 *
 * @example
 * ```ts
 * const spec = sessionChildSpec('chat', { model: 'sonnet' });
 * createActor(createSupervisor({ intensity: 3 }, [spec])).start();
 * spec.session.lifecycle$.subscribe((e) => e.type === 'session.restarted' && show('restarted'));
 * ```
 *
 * @throws {@link InvalidOptionsError} for invalid session options.
 */
export function sessionChildSpec(
  id: string,
  options: SessionOptions = {},
  spec: SessionChildSpecOptions = {},
): SessionChildSpec {
  const { spawn, parentEnv, logger, admission, ...childSpec } = spec;
  const resolved = parseSessionOptions(options);
  const handle = new SessionHandle(id, {
    supervised: true,
    sessionId: resolved.forkSession ? undefined : resolved.resume,
    admission,
  });
  const logic = redactPersistence(
    sessionLogic({ spawn, parentEnv, logger }).provide({
      actions: { attached: ({ self }) => handle.attach(self as unknown as SessionActor) },
    }),
  );
  return {
    restart: 'transient',
    ...childSpec,
    id,
    session: handle,
    abandon: () => handle.abandon(),
    start: () => {
      const first = handle.generation === 0;
      const resumeId = handle.sessionId;
      // A restart picks the conversation up where it was: same id, no new fork, no fixed id.
      const restartOptions =
        first || resumeId === undefined
          ? { ...resolved, ...(first ? {} : { sessionId: undefined }) }
          : {
              ...resolved,
              resume: resumeId,
              forkSession: false,
              sessionId: undefined,
              continue: false,
            };
      const input: SessionInput = {
        sessionKey: `${id}-${randomUUID()}`,
        options: restartOptions,
        priorCostUsd: handle.totalCostUsd,
      };
      return { logic, input };
    },
    exitReason: (end): ExitReason => {
      if (end.status === 'error') return { abnormal: end.error };
      const output = end.output as SessionOutput;
      if (output.status === 'failed') return { abnormal: output.error };
      return output.reason === 'shutdown' ? 'shutdown' : 'normal';
    },
  };
}
