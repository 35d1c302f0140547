import type { Observable, Observer } from 'rxjs';
import type { AnyActorRef } from 'xstate';
import type { ClaudeActorsError } from '../../core/errors/claude-actors-error.js';
import type { CliMessage, ResultMessage } from '../../protocol/cli-message.js';
import type { ContentBlock } from '../../protocol/content-block.js';
import type { ProtocolErrorEvent } from '../../protocol/protocol-event.js';
import type { PERMISSION_MODES } from '../query/options/query-options.js';
import type { SessionOutput } from './session-types.js';

/** What a user turn says: text, or content blocks (text, images...). */
export type SessionPrompt = string | readonly ContentBlock[];

/** A permission mode `setPermissionMode` accepts. */
export type PermissionMode = (typeof PERMISSION_MODES)[number];

/** Where a session is. `restarting`: its CLI died and its supervisor is starting a new one. */
export type SessionStatus =
  | 'starting'
  | 'ready'
  | 'responding'
  | 'closing'
  | 'closed'
  | 'failed'
  | 'restarting';

/** How one turn ended. */
export interface TurnResult {
  readonly turnId: string;
  /** The turn's `result` message (check `is_error`: an interrupted turn is an error result). */
  readonly result: ResultMessage;
  /** Whether `interrupt()` was called during the turn. */
  readonly interrupted: boolean;
  /** What this turn cost, USD. */
  readonly turnCostUsd: number;
  /** What the session has cost so far, across restarts of its CLI, USD. */
  readonly totalCostUsd: number;
}

/**
 * The messages of one turn: a hot Observable that replays the turn from its start to every
 * subscriber, completes after the turn's `result` message and errors if the turn cannot finish
 * (the CLI died: `ProcessExitedError`; the session closed first: `SessionClosedError`).
 */
export interface Turn extends Observable<CliMessage> {
  readonly id: string;
  /** The turn's outcome; rejects with the same error as the Observable. */
  readonly result: Promise<TurnResult>;
}

/** What happens to a session, besides its messages (see {@link Session.lifecycle$}). */
export type SessionLifecycleEvent =
  | {
      readonly type: 'session.spawned';
      readonly pid: number | undefined;
      readonly generation: number;
    }
  /** The CLI answered `initialize`; `response` lists its models, commands, account... */
  | {
      readonly type: 'session.ready';
      readonly generation: number;
      readonly response: Record<string, unknown> | undefined;
    }
  | { readonly type: 'session.id_assigned'; readonly sessionId: string }
  | ({ readonly type: 'turn.completed' } & Omit<TurnResult, 'result'>)
  /** A canUseTool or hook callback failed; the safe default was answered. */
  | { readonly type: 'session.callback_failed'; readonly error: ClaudeActorsError }
  | { readonly type: 'session.protocol_error'; readonly error: ProtocolErrorEvent }
  /** The CLI died; a supervised session is restarted next (`session.restarted`). */
  | {
      readonly type: 'session.failed';
      readonly error: ClaudeActorsError;
      readonly generation: number;
    }
  /** A new CLI took over after a failure, resuming `sessionId` when one was known. */
  | {
      readonly type: 'session.restarted';
      readonly generation: number;
      readonly resumedSessionId: string | undefined;
    }
  | { readonly type: 'session.closed'; readonly output: SessionOutput };

/**
 * A bidirectional conversation with one Claude Code CLI (see `createSession`), possibly
 * restarted by a supervisor (see `sessionChildSpec`).
 */
export interface Session {
  /** Local id (logs, errors, the actor id). */
  readonly key: string;
  /** The CLI's session id: known after the first turn's `init` (or from `resume`). */
  readonly sessionId: string | undefined;
  readonly status: SessionStatus;
  /** Cost of every turn so far, USD, across restarts. */
  readonly totalCostUsd: number;
  /** The current actor (changes on restarts); for inspection. */
  readonly actor: AnyActorRef | undefined;
  /**
   * Every CLI message of the session except control traffic: hot (subscribe before sending to
   * see everything), completes when the session ends. Messages between turns (e.g. the
   * `<local-command-stdout>` user message after `setModel`) appear only here.
   */
  readonly messages$: Observable<CliMessage>;
  /** Lifecycle events: hot, completes when the session ends. */
  readonly lifecycle$: Observable<SessionLifecycleEvent>;
  /**
   * An Observer to pipe prompts into: `prompts$.subscribe(session.input)`. `next` sends a turn,
   * `complete` (or `error`) closes the session once every accepted turn is answered.
   */
  readonly input: Observer<SessionPrompt>;
  /** Resolves with the final output once the session has ended. */
  readonly closed: Promise<SessionOutput>;
  /**
   * Sends a user turn. Turns sent while one runs are queued, in order; each gets exactly its
   * own messages. A prompt that is not a non-empty string or array of content blocks is never
   * sent: its turn fails with an `InvalidOptionsError` (`result` rejects, the turn errors) and
   * the session goes on.
   */
  send(prompt: SessionPrompt): Turn;
  /** Interrupts the running turn (control request `interrupt`); resolves once acknowledged. */
  interrupt(): Promise<void>;
  /** Switches the model for the next requests (`set_model`); `undefined` for the default. */
  setModel(model: string | undefined): Promise<void>;
  /**
   * Switches the permission mode (`set_permission_mode`); resolves with the mode the CLI says
   * is in effect (it may refuse one, e.g. `bypassPermissions` without
   * `allowDangerouslySkipPermissions`: then the promise rejects with its error).
   */
  setPermissionMode(mode: PermissionMode): Promise<string>;
  /**
   * Sends any control request to the CLI and resolves with its answer (the `response` object of
   * its `control_response`; `{}` when it sends none). Known subtypes are validated first
   * (`InvalidOptionsError` naming the field); others are sent as given, for CLI versions newer
   * than this library. `initialize` is refused: the session sends it itself.
   *
   * @throws (rejects) `ControlRequestError` when the CLI answers with an error (an unknown
   *   subtype: `unsupported_request`), `ControlTimeoutError`, `SessionClosedError`.
   * @example
   * ```ts
   * const usage = await session.request('get_context_usage', { detail: 'summary' });
   * ```
   */
  request(subtype: string, payload?: Record<string, unknown>): Promise<Record<string, unknown>>;
  /** How the context window is used (`get_context_usage`): totals and categories. */
  getContextUsage(): Promise<Record<string, unknown>>;
  /** The thinking budget for the next requests (`set_max_thinking_tokens`); `null`: default. */
  setMaxThinkingTokens(tokens: number | null): Promise<void>;
  /** Stops a background task (a subagent, a background shell) by its task id (`stop_task`). */
  stopTask(taskId: string): Promise<void>;
  /**
   * Restores files as they were at a user message (`rewind_files`; needs the CLI's file
   * checkpointing). `dryRun` reports what would change.
   */
  rewindFiles(
    userMessageId: string,
    options?: { readonly dryRun?: boolean },
  ): Promise<Record<string, unknown>>;
  /** The state of every MCP server (`mcp_status`). */
  mcpServerStatus(): Promise<readonly Record<string, unknown>[]>;
  /** Reconnects one MCP server (`mcp_reconnect`). */
  reconnectMcpServer(name: string): Promise<void>;
  /** Enables or disables one MCP server (`mcp_toggle`). */
  toggleMcpServer(name: string, enabled: boolean): Promise<void>;
  /**
   * Replaces the session's MCP servers (`mcp_set_servers`, name → config); resolves with what
   * the CLI reports (added, removed, errors).
   */
  setMcpServers(servers: Record<string, Record<string, unknown>>): Promise<Record<string, unknown>>;
  /** Gives the session a title (`rename_session`). */
  renameSession(title: string): Promise<void>;
  /** The settings in effect, merged from every source (`get_settings`). */
  getSettings(): Promise<Record<string, unknown>>;
  /** Finishes every accepted turn, then closes stdin and waits for the CLI to exit. */
  close(): Promise<SessionOutput>;
  /** SIGKILLs the CLI now; turns still running fail with `SessionClosedError`. */
  kill(): Promise<SessionOutput>;
}
