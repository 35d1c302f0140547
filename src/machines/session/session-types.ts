import type {
  CliProcessCommand,
  CliProcessEvent,
  CliProcessInput,
} from '../../actors/cli-process-types.js';
import type { ClaudeActorsError } from '../../core/errors/claude-actors-error.js';
import type { ExitInfo } from '../../process/spawn/spawn-claude.js';
import type { CliMessage, ResultMessage } from '../../protocol/cli-message.js';
import type { ProtocolErrorEvent } from '../../protocol/protocol-event.js';
import type { ResolvedSessionOptions } from './session-options.js';

/** What a session actor starts from. */
export interface SessionInput {
  /** Local id of the session (logs, errors); not the CLI's session id. */
  readonly sessionKey: string;
  readonly options: ResolvedSessionOptions;
  /** Cost of earlier processes of the same session (before a restart), in USD. @defaultValue 0 */
  readonly priorCostUsd?: number;
}

/** A turn accepted by the session, waiting or running. */
export interface QueuedTurn {
  readonly turnId: string;
  /** The serialised stream-json user message, newline included. */
  readonly line: string;
}

/** A control request of the host waiting for the CLI's answer. */
export interface PendingControl {
  readonly requestId: string;
  readonly subtype: string;
}

/** The session machine's context. */
export interface SessionContext {
  readonly sessionKey: string;
  readonly options: ResolvedSessionOptions;
  readonly pid: number | undefined;
  /** The CLI's session id: from `resume`/`sessionId` at first, then from each `init`. */
  readonly sessionId: string | undefined;
  readonly queue: readonly QueuedTurn[];
  readonly current: (QueuedTurn & { readonly interrupted: boolean }) | undefined;
  readonly pending: Readonly<Record<string, PendingControl>>;
  /** `total_cost_usd` of the last result of this process (the CLI counts per process). */
  readonly processCostUsd: number;
  readonly priorCostUsd: number;
  /** Close once the queue is drained. */
  readonly closeRequested: boolean;
  /** Why the session is ending: `closed` (stdin closed), `killed`, or `shutdown`. */
  readonly ending: 'closed' | 'killed' | 'shutdown' | undefined;
  readonly error: ClaudeActorsError | undefined;
  readonly turnsCompleted: number;
}

/** How a session actor ended (its output). */
export type SessionOutput =
  | {
      readonly status: 'closed';
      /** `closed`: by `close()`; `killed`: by `kill()`; `shutdown`: by its supervisor. */
      readonly reason: 'closed' | 'killed' | 'shutdown';
      readonly sessionId: string | undefined;
      readonly totalCostUsd: number;
      readonly turns: number;
    }
  | {
      readonly status: 'failed';
      readonly error: ClaudeActorsError;
      readonly sessionId: string | undefined;
      readonly totalCostUsd: number;
      readonly turns: number;
    };

/** Events the process actor sends the session (`claude.failed` is followed by the exit). */
export type SessionProcessEvent = CliProcessEvent;

/** Commands the session machine sends its process actor. */
export type SessionProcessCommand = CliProcessCommand;

/** What the process actor is started with (see `sessionProcessInput`). */
export interface SessionProcessInput extends CliProcessInput {
  readonly sessionKey: string;
}

/** Events the caller sends a session actor. */
export type SessionCallerEvent =
  | { readonly type: 'SEND'; readonly turnId: string; readonly line: string }
  | {
      readonly type: 'CONTROL';
      readonly requestId: string;
      readonly subtype: string;
      /** The serialised control request, newline included. */
      readonly line: string;
    }
  | { readonly type: 'CLOSE' }
  | { readonly type: 'KILL' }
  | { readonly type: '@supervisor.shutdown' };

/** Everything a session machine receives. */
export type SessionMachineEvent =
  | SessionCallerEvent
  | SessionProcessEvent
  | { readonly type: 'CONTROL_TIMEOUT'; readonly requestId: string };

/** Events a session actor emits (`actor.on(type, ...)`); the `Session` API is built on them. */
export type SessionEmitted =
  | { readonly type: 'session.spawned'; readonly pid: number | undefined }
  | { readonly type: 'session.ready'; readonly response: Record<string, unknown> | undefined }
  | {
      readonly type: 'session.message';
      readonly message: CliMessage;
      /** The turn it belongs to; `undefined` between turns. */
      readonly turnId: string | undefined;
    }
  | { readonly type: 'session.id_assigned'; readonly sessionId: string }
  | {
      readonly type: 'turn.completed';
      readonly turnId: string;
      readonly result: ResultMessage;
      readonly interrupted: boolean;
      readonly turnCostUsd: number;
      readonly totalCostUsd: number;
    }
  | { readonly type: 'turn.failed'; readonly turnId: string; readonly error: ClaudeActorsError }
  | {
      readonly type: 'control.settled';
      readonly requestId: string;
      readonly response?: Record<string, unknown>;
      readonly error?: ClaudeActorsError;
    }
  | { readonly type: 'session.callback_failed'; readonly error: ClaudeActorsError }
  | { readonly type: 'session.protocol_error'; readonly error: ProtocolErrorEvent }
  | { readonly type: 'session.exited'; readonly exit: ExitInfo };
