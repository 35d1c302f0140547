import { z } from 'zod';
import { InvalidOptionsError } from '../../core/validation/invalid-options-error.js';
import { renderValue } from '../../core/validation/render-value.js';
import { validate } from '../../core/validation/validate.js';
import type { SdkMcpServer } from '../../mcp/create-sdk-mcp-server.js';
import { parseQueryOptions } from '../query/options/parse-options.js';
import type { QueryOptions, ResolvedQueryOptions } from '../query/options/query-options.js';

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

const fn = <T>(what: string) =>
  z.custom<T>((v) => typeof v === 'function', { error: `expected ${what} function` });
const positiveInt = z.number().int().positive({ error: 'expected a positive integer' });

/** Options that only sessions have; see {@link SessionOptions}. */
export const SessionOnlyOptionsSchema = z.strictObject({
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
   * How long a control request (`initialize`, `interrupt`, `set_model`...) may wait for its
   * answer.
   * @defaultValue 10_000
   */
  controlTimeoutMs: positiveInt.default(10_000),
  /**
   * How long `canUseTool` and hook callbacks may take before the safe default is sent.
   * @defaultValue 60_000
   */
  callbackTimeoutMs: positiveInt.default(60_000),
  /**
   * After `close()` closed stdin, how long the CLI may take to exit before it is killed.
   * @defaultValue 10_000
   */
  closeTimeoutMs: positiveInt.default(10_000),
});

/** Session options as callers write them: query options plus callbacks and timeouts. */
export type SessionOptions = QueryOptions & z.input<typeof SessionOnlyOptionsSchema>;

/** Session options after parsing. */
export type ResolvedSessionOptions = ResolvedQueryOptions &
  z.output<typeof SessionOnlyOptionsSchema>;

const SESSION_KEYS = Object.keys(SessionOnlyOptionsSchema.shape);

/**
 * Validates session options and applies defaults: query options as {@link parseQueryOptions}
 * does, and the session's own (callbacks, timeouts). A `canUseTool` callback turns on
 * `permissionPromptTool: 'stdio'`.
 *
 * @throws {@link InvalidOptionsError} naming the first invalid option and its value.
 */
export function parseSessionOptions(input: SessionOptions = {}): ResolvedSessionOptions {
  const own: Record<string, unknown> = {};
  const rest: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(input)) {
    (SESSION_KEYS.includes(key) ? own : rest)[key] = value;
  }
  const session = validate(SessionOnlyOptionsSchema, own);
  const servers = session.sdkMcpServers ?? [];
  const names = servers.map((server) => server.name);
  const twice = names.find((name, i) => names.indexOf(name) !== i);
  if (twice !== undefined) {
    throw new InvalidOptionsError(
      [
        {
          path: `sdkMcpServers[${names.lastIndexOf(twice)}].name`,
          message: 'expected a name no other server of the session has',
          received: renderValue(twice),
        },
      ],
      'session option',
    );
  }
  // The CLI learns of in-process servers from its MCP config (`type: 'sdk'`) and the
  // `initialize` request (`sdkMcpServers`), then sends them `mcp_message` requests.
  if (servers.length > 0) {
    const sdkConfig = {
      mcpServers: Object.fromEntries(names.map((name) => [name, { type: 'sdk', name }])),
    };
    rest.mcpConfig = [...(rest.mcpConfig === undefined ? [] : [rest.mcpConfig].flat()), sdkConfig];
  }
  const query = parseQueryOptions(rest);
  const permissionPromptTool =
    query.permissionPromptTool ?? (session.canUseTool ? 'stdio' : undefined);
  return { ...query, permissionPromptTool, ...session };
}
