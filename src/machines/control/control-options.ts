import { z } from 'zod';
import { MAX_TIMER_MESSAGE, MAX_TIMER_MS } from '../../core/validation/max-timer-ms.js';
import type { SdkMcpServer } from '../../mcp/create-sdk-mcp-server.js';

/** The answer of a {@link CanUseTool} callback, as the CLI expects it. */
export type PermissionDecision =
  | {
      readonly behavior: 'allow';
      /** Replaces the tool's input; the original input when absent. */
      readonly updatedInput?: Record<string, unknown>;
      /** Permission rule updates, passed through to the CLI. */
      readonly updatedPermissions?: readonly unknown[];
    }
  | {
      readonly behavior: 'deny';
      /** Why; the CLI sends it to the model as the (error) tool result. */
      readonly message: string;
      /** Also interrupt the turn. */
      readonly interrupt?: boolean;
    };

/** What a {@link CanUseTool} callback is told besides the tool and its input. */
export interface CanUseToolContext {
  /** Aborted when the CLI cancels the request, the answer times out or the session ends. */
  readonly signal: AbortSignal;
  /** The CLI's `permission_suggestions` (e.g. `{ type: 'setMode', mode: 'acceptEdits' }`). */
  readonly suggestions: readonly unknown[];
  /** Id of the `tool_use` block being asked about. */
  readonly toolUseId: string | undefined;
  /** The CLI's short description of the call (e.g. the file name), when it gives one. */
  readonly description?: string | undefined;
  /** The path outside the allowed directories that made the CLI ask, when one did. */
  readonly blockedPath?: string | undefined;
  /** Why the CLI asks (e.g. the rule or mode that requires a prompt), in its words. */
  readonly decisionReason?: string | undefined;
  /** What kind of reason (`rule`, `mode`, `hook`, `workingDir`, `classifier`...). */
  readonly decisionReasonType?: string | undefined;
  /** A title for a permission prompt (e.g. `Claude wants to run npm test`). */
  readonly title?: string | undefined;
  /** The tool's name for display. */
  readonly displayName?: string | undefined;
  /** The subagent making the call; absent for the main agent. */
  readonly agentId?: string | undefined;
  /** The MCP server of an MCP tool (`name`, `source`). */
  readonly mcpServer?: { readonly name?: string; readonly source?: string } | undefined;
  /** The CLI suggests answering no unless the user says otherwise. */
  readonly defaultToNo?: boolean | undefined;
  /** Everything the CLI sent with the request, fields of newer CLIs included. */
  readonly request: Readonly<Record<string, unknown>>;
}

/**
 * Decides whether a tool may run (`can_use_tool` control requests). Throwing, or not answering
 * within `callbackTimeoutMs`, denies the call with a message that says why.
 */
export type CanUseTool = (
  toolName: string,
  input: Record<string, unknown>,
  context: CanUseToolContext,
) => Promise<PermissionDecision> | PermissionDecision;

/** What an {@link OnElicitation} callback is asked: an MCP server wants input from the user. */
export interface ElicitationQuestion {
  /** The MCP server asking. */
  readonly serverName: string;
  readonly message: string;
  /** `form` (answer with `content` matching `requestedSchema`) or `url` (open `url`). */
  readonly mode?: string | undefined;
  readonly url?: string | undefined;
  readonly elicitationId?: string | undefined;
  /** The JSON schema of the form's content. */
  readonly requestedSchema?: Record<string, unknown> | undefined;
  readonly title?: string | undefined;
  readonly displayName?: string | undefined;
  readonly description?: string | undefined;
}

/** The answer to an elicitation (MCP's ElicitResult). */
export type ElicitationDecision =
  | { readonly action: 'accept'; readonly content?: Record<string, unknown> }
  | { readonly action: 'decline' }
  | { readonly action: 'cancel' };

/**
 * Answers `elicitation` requests of MCP servers. Without one every elicitation is declined.
 * Throwing, answering something else or not answering within `callbackTimeoutMs` declines.
 */
export type OnElicitation = (
  question: ElicitationQuestion,
  context: { readonly signal: AbortSignal },
) => Promise<ElicitationDecision> | ElicitationDecision;

/** The JSON a hook callback answers with (`continue`, `decision`, `hookSpecificOutput`...). */
export type HookOutput = Record<string, unknown>;

/**
 * A hook run by the CLI through a `hook_callback` control request. `input` is the hook's input
 * (`hook_event_name`, `tool_name`, `tool_input`, `tool_response` for PostToolUse...).
 */
export type HookCallback = (
  input: Record<string, unknown>,
  toolUseId: string | undefined,
  context: { readonly signal: AbortSignal },
) => Promise<HookOutput> | HookOutput;

/** Hooks for one event: a tool-name matcher (all tools when absent) and the callbacks. */
export interface HookMatcher {
  readonly matcher?: string;
  readonly hooks: readonly HookCallback[];
  /** Seconds the CLI waits for these hooks. */
  readonly timeout?: number;
}

/** Hook events the CLI knows (not exhaustive; others pass through). */
export type HookEvent =
  | 'PreToolUse'
  | 'PostToolUse'
  | 'PostToolUseFailure'
  | 'UserPromptSubmit'
  | 'Stop'
  | 'SubagentStop'
  | 'SessionStart'
  | 'SessionEnd'
  | 'Notification'
  | 'PreCompact'
  | (string & {});

/** A `request_user_dialog` from the CLI: a blocking dialog the host is asked to render. */
export interface UserDialogRequest {
  /** What dialog (e.g. `refusal_fallback_prompt`); only kinds in `supportedDialogKinds` come. */
  readonly dialogKind: string;
  /** The dialog's data; its shape is defined per kind. */
  readonly payload: Record<string, unknown>;
  /** The tool call the dialog is about, when it is about one. */
  readonly toolUseId?: string | undefined;
}

/** The answer to a user dialog: `cancelled` makes the CLI apply the dialog's default. */
export type UserDialogResult =
  | { readonly behavior: 'completed'; readonly result: unknown }
  | { readonly behavior: 'cancelled' };

/**
 * Answers `request_user_dialog` requests of the kinds declared in `supportedDialogKinds`.
 * `null` sends no answer (the CLI's dialog deadline settles it); throwing, answering something
 * else or not answering within `callbackTimeoutMs` answers `cancelled`.
 */
export type OnUserDialog = (
  request: UserDialogRequest,
  context: { readonly signal: AbortSignal; readonly requestId: string },
) => Promise<UserDialogResult | null> | UserDialogResult | null;

const fn = <T>(what: string) =>
  z.custom<T>((v) => typeof v === 'function', { error: `expected ${what} function` });

/**
 * The options that answer the CLI's control requests, for queries and sessions alike: the
 * callbacks, the in-process MCP servers and how long a callback may take. Any of them makes
 * the host talk the control protocol with its CLI (an `initialize` request, stdin open until
 * the result for a query).
 */
export const ControlOptionsSchema = z.strictObject({
  /** Answers `can_use_tool` requests; setting it implies `permissionPromptTool: 'stdio'`. */
  canUseTool: fn<CanUseTool>('a canUseTool').optional(),
  /**
   * MCP servers in this process (`createSdkMcpServer`): the CLI calls their tools as
   * `mcp__<server>__<tool>` through the control protocol. Allow them like any tool
   * (`allowedTools: ['mcp__calc__add']`, a permission mode, or `canUseTool`).
   */
  sdkMcpServers: z
    .array(
      z.custom<SdkMcpServer>(
        (v) =>
          typeof v === 'object' &&
          v !== null &&
          (v as SdkMcpServer).type === 'sdk' &&
          typeof (v as SdkMcpServer).handle === 'function',
        { error: 'expected an MCP server made by `createSdkMcpServer`' },
      ),
    )
    .optional(),
  /** Answers MCP servers' `elicitation` requests. @defaultValue every elicitation declined */
  onElicitation: fn<OnElicitation>('an onElicitation').optional(),
  /** Answers `request_user_dialog` requests of the kinds in `supportedDialogKinds`. */
  onUserDialog: fn<OnUserDialog>('an onUserDialog').optional(),
  /** Hook callbacks per event, registered with the CLI in the `initialize` request. */
  hooks: z
    .record(
      z.string(),
      z.array(
        z.strictObject({
          matcher: z.string().optional(),
          hooks: z.array(fn<HookCallback>('a hook')).min(1),
          timeout: z.number().positive().optional(),
        }),
      ),
    )
    .optional(),
  /**
   * How long `canUseTool`, hook, elicitation, dialog and MCP tool callbacks may take before the
   * safe default is sent.
   * @defaultValue {@link DEFAULT_CALLBACK_TIMEOUT_MS} (60 s)
   */
  // No schema default: it would sit in the options of every query, callbacks or not.
  callbackTimeoutMs: z
    .number()
    .int()
    .positive({ error: 'expected a positive integer' })
    .max(MAX_TIMER_MS, { error: MAX_TIMER_MESSAGE })
    .optional(),
});

/** How long a callback may take when `callbackTimeoutMs` is not set. */
export const DEFAULT_CALLBACK_TIMEOUT_MS = 60_000;

/** The control options as callers write them. */
export type ControlOptions = z.input<typeof ControlOptionsSchema>;

/** The control options after parsing. */
export type ResolvedControlOptions = z.output<typeof ControlOptionsSchema>;
