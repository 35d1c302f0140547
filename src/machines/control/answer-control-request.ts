import type { ClaudeActorsError } from '../../core/errors/claude-actors-error.js';
import type { JsonRpcMessage, SdkMcpServer } from '../../mcp/create-sdk-mcp-server.js';
import {
  isCanUseToolRequest,
  isElicitationRequest,
  isHookCallbackRequest,
  isMcpMessageRequest,
} from '../../protocol/cli-message-guards.js';
import type { ControlRequestMessage } from '../../protocol/control.js';
import type { ControlHandlerOutput } from './control-handler-types.js';
import type {
  CanUseTool,
  ElicitationDecision,
  OnElicitation,
  OnUserDialog,
  PermissionDecision,
  UserDialogResult,
} from './control-options.js';
import { CallbackFailedError } from './errors/callback-failed-error.js';
import type { HookEntry } from './hook-registration.js';

/** What {@link answerControlRequest} answers with. */
export interface ControlAnswerConfig {
  readonly canUseTool?: CanUseTool | undefined;
  readonly onElicitation?: OnElicitation | undefined;
  readonly onUserDialog?: OnUserDialog | undefined;
  readonly sdkMcpServers?: readonly SdkMcpServer[] | undefined;
  /** Callback id → hook (see `hookLookup`). */
  readonly hooks: ReadonlyMap<string, HookEntry>;
  /** How long a callback may take before the safe default is sent. */
  readonly callbackTimeoutMs: number;
  /** Local id of the query or session, for errors. */
  readonly key?: string;
}

type Outcome<T> = { ok: true; value: T } | { ok: false; timedOut: boolean; cause: unknown };

/**
 * Answers one control request from the CLI, for a query or a session. Never rejects: every
 * request gets an answer (but a user dialog the callback leaves unanswered), so the CLI is
 * never left waiting.
 *
 * - `can_use_tool`: the `canUseTool` callback's decision; `allow` without `updatedInput` allows
 *   the original input. When the callback throws, answers something malformed or does not
 *   answer within `callbackTimeoutMs`, the call is denied with a message that says why (the CLI
 *   sends it to the model as an error tool result) and `failure` is set.
 * - `hook_callback`: the hook's output. When it fails, a PreToolUse hook denies the tool call;
 *   other events get an error answer, which the CLI treats as an empty output (it writes a
 *   `hook_callback_failed` warning).
 * - `elicitation`: `onElicitation`'s answer; declined without one, or when it fails.
 * - `mcp_message`: the named in-process MCP server's JSON-RPC answer; a server that fails or
 *   hangs answers a JSON-RPC error (the model reads a tool error).
 * - `request_user_dialog`: `onUserDialog`'s answer; `null` (or no callback) sends none, a
 *   failure answers `cancelled`.
 * - anything else: an error answer.
 *
 * @param signal - Aborted when the CLI cancels the request; the callback's own signal also
 *   aborts on timeout.
 */
export async function answerControlRequest(
  message: ControlRequestMessage,
  config: ControlAnswerConfig,
  signal: AbortSignal,
): Promise<ControlHandlerOutput> {
  const requestId = message.request_id;
  const request = message.request;
  const context = { queryId: config.key };

  if (isCanUseToolRequest(request)) {
    const { canUseTool } = config;
    if (!canUseTool) {
      return deny(requestId, 'Permission denied: no canUseTool callback was given');
    }
    const outcome = await runCallback(config.callbackTimeoutMs, signal, (callbackSignal) =>
      canUseTool(request.tool_name, request.input, {
        signal: callbackSignal,
        suggestions: request.permission_suggestions ?? [],
        toolUseId: request.tool_use_id,
        description: request.description,
        blockedPath: request.blocked_path,
        decisionReason: request.decision_reason,
        decisionReasonType: request.decision_reason_type,
        title: request.title,
        displayName: request.display_name,
        agentId: request.agent_id,
        mcpServer: request.mcp_server,
        defaultToNo: request.default_to_no,
        request,
      }),
    );
    const decision = outcome.ok ? toPermissionResult(outcome.value, request.input) : undefined;
    if (decision) return { requestId, ok: true, response: decision };
    const failure = new CallbackFailedError(
      {
        subtype: 'can_use_tool',
        target: request.tool_name,
        timedOut: !outcome.ok && outcome.timedOut,
        timeoutMs: config.callbackTimeoutMs,
      },
      { ...context, cause: outcome.ok ? new TypeError('invalid decision') : outcome.cause },
    );
    return deny(requestId, `Permission denied: ${failure.message}`, failure);
  }

  if (isHookCallbackRequest(request)) {
    const entry = config.hooks.get(request.callback_id);
    if (!entry) {
      return { requestId, ok: false, error: `Unknown hook callback id: ${request.callback_id}` };
    }
    const input = (
      typeof request.input === 'object' && request.input !== null ? request.input : {}
    ) as Record<string, unknown>;
    const outcome = await runCallback(config.callbackTimeoutMs, signal, (callbackSignal) =>
      entry.hook(input, request.tool_use_id, { signal: callbackSignal }),
    );
    if (outcome.ok && typeof outcome.value === 'object' && outcome.value !== null) {
      return { requestId, ok: true, response: outcome.value as Record<string, unknown> };
    }
    const failure = new CallbackFailedError(
      {
        subtype: 'hook_callback',
        target: `${entry.event} hook ${request.callback_id}`,
        timedOut: !outcome.ok && outcome.timedOut,
        timeoutMs: config.callbackTimeoutMs,
      },
      {
        ...context,
        cause: outcome.ok ? new TypeError('hook output is not an object') : outcome.cause,
      },
    );
    if (entry.event === 'PreToolUse') {
      return {
        requestId,
        ok: true,
        response: {
          hookSpecificOutput: {
            hookEventName: 'PreToolUse',
            permissionDecision: 'deny',
            permissionDecisionReason: failure.message,
          },
        },
        failure,
      };
    }
    return { requestId, ok: false, error: failure.message, failure };
  }

  if (isElicitationRequest(request)) {
    const { onElicitation } = config;
    const decline = { action: 'decline' };
    if (!onElicitation) return { requestId, ok: true, response: decline };
    const outcome = await runCallback(config.callbackTimeoutMs, signal, (callbackSignal) =>
      onElicitation(
        {
          serverName: request.mcp_server_name,
          message: request.message,
          mode: request.mode,
          url: request.url,
          elicitationId: request.elicitation_id,
          requestedSchema: request.requested_schema,
          title: request.title,
          displayName: request.display_name,
          description: request.description,
        },
        { signal: callbackSignal },
      ),
    );
    const answer = outcome.ok ? toElicitationAnswer(outcome.value) : undefined;
    if (answer) return { requestId, ok: true, response: answer };
    const failure = new CallbackFailedError(
      {
        subtype: 'elicitation',
        target: request.mcp_server_name,
        timedOut: !outcome.ok && outcome.timedOut,
        timeoutMs: config.callbackTimeoutMs,
      },
      {
        ...context,
        cause: outcome.ok ? new TypeError('invalid elicitation answer') : outcome.cause,
      },
    );
    return { requestId, ok: true, response: decline, failure };
  }

  if (isMcpMessageRequest(request)) {
    const server = config.sdkMcpServers?.find((s) => s.name === request.server_name);
    if (!server) {
      return {
        requestId,
        ok: false,
        error: `No in-process MCP server named ${request.server_name} here`,
      };
    }
    const message = request.message as JsonRpcMessage;
    const outcome = await runCallback(config.callbackTimeoutMs, signal, (callbackSignal) =>
      server.handle(message, callbackSignal),
    );
    if (outcome.ok) {
      // A notification has no answer in JSON-RPC; the control protocol still wants one.
      const response = outcome.value ?? { jsonrpc: '2.0', result: {}, id: 0 };
      return { requestId, ok: true, response: { mcp_response: response } };
    }
    const failure = new CallbackFailedError(
      {
        subtype: 'mcp_message',
        target: `MCP server ${server.name} (${String(message.method)})`,
        timedOut: outcome.timedOut,
        timeoutMs: config.callbackTimeoutMs,
      },
      { ...context, cause: outcome.cause },
    );
    const mcpError = {
      jsonrpc: '2.0',
      id: message.id ?? 0,
      error: { code: -32603, message: failure.message },
    };
    return { requestId, ok: true, response: { mcp_response: mcpError }, failure };
  }
  if (request.subtype === 'request_user_dialog') {
    return answerUserDialog(requestId, request, config, signal);
  }
  return {
    requestId,
    ok: false,
    error: `Unsupported control request subtype: ${request.subtype}`,
  };
}

/**
 * A `request_user_dialog`: the callback's answer. No callback, or `null`, sends no answer (on
 * a CLI shared by several clients, another may be the one that renders it; the CLI's deadline
 * settles it otherwise); a failure or something that is not an answer sends `cancelled`.
 */
async function answerUserDialog(
  requestId: string,
  request: Record<string, unknown>,
  config: ControlAnswerConfig,
  signal: AbortSignal,
): Promise<ControlHandlerOutput> {
  const { onUserDialog } = config;
  if (!onUserDialog) return { requestId, ok: 'silent' };
  const dialogKind = typeof request.dialog_kind === 'string' ? request.dialog_kind : '';
  const payload =
    typeof request.payload === 'object' && request.payload !== null
      ? (request.payload as Record<string, unknown>)
      : {};
  const toolUseId = typeof request.tool_use_id === 'string' ? request.tool_use_id : undefined;
  const outcome = await runCallback(config.callbackTimeoutMs, signal, (callbackSignal) =>
    onUserDialog({ dialogKind, payload, toolUseId }, { signal: callbackSignal, requestId }),
  );
  if (outcome.ok && outcome.value === null) return { requestId, ok: 'silent' };
  const answer = outcome.ok ? toUserDialogAnswer(outcome.value) : undefined;
  if (answer) return { requestId, ok: true, response: answer };
  const failure = new CallbackFailedError(
    {
      subtype: 'request_user_dialog',
      target: `dialog ${dialogKind}`,
      timedOut: !outcome.ok && outcome.timedOut,
      timeoutMs: config.callbackTimeoutMs,
    },
    {
      queryId: config.key,
      cause: outcome.ok ? new TypeError('invalid user dialog answer') : outcome.cause,
    },
  );
  return { requestId, ok: true, response: { behavior: 'cancelled' }, failure };
}

/** The wire form of a dialog answer, or `undefined` for something that is not one. */
function toUserDialogAnswer(
  decision: UserDialogResult | null | undefined,
): Record<string, unknown> | undefined {
  if (typeof decision !== 'object' || decision === null) return undefined;
  if (decision.behavior === 'cancelled') return { behavior: 'cancelled' };
  if (decision.behavior === 'completed' && 'result' in decision) {
    return { behavior: 'completed', result: decision.result };
  }
  return undefined;
}

function deny(
  requestId: string,
  message: string,
  failure?: ClaudeActorsError,
): ControlHandlerOutput {
  return {
    requestId,
    ok: true,
    response: { behavior: 'deny', message },
    ...(failure ? { failure } : {}),
  };
}

/** The wire form of a decision, or `undefined` for something that is not a decision. */
function toPermissionResult(
  decision: PermissionDecision | undefined,
  originalInput: Record<string, unknown>,
): Record<string, unknown> | undefined {
  if (typeof decision !== 'object' || decision === null) return undefined;
  if (decision.behavior === 'allow') {
    return {
      behavior: 'allow',
      updatedInput: decision.updatedInput ?? originalInput,
      ...(decision.updatedPermissions ? { updatedPermissions: decision.updatedPermissions } : {}),
    };
  }
  if (decision.behavior === 'deny' && typeof decision.message === 'string') {
    return {
      behavior: 'deny',
      message: decision.message,
      ...(decision.interrupt === undefined ? {} : { interrupt: decision.interrupt }),
    };
  }
  return undefined;
}

/** The wire form of an elicitation answer, or `undefined` for something that is not one. */
function toElicitationAnswer(
  decision: ElicitationDecision | undefined,
): Record<string, unknown> | undefined {
  if (typeof decision !== 'object' || decision === null) return undefined;
  if (decision.action === 'decline' || decision.action === 'cancel') {
    return { action: decision.action };
  }
  if (decision.action !== 'accept') return undefined;
  const { content } = decision;
  if (content !== undefined && (typeof content !== 'object' || content === null)) return undefined;
  return content === undefined ? { action: 'accept' } : { action: 'accept', content };
}

/** Runs a user callback with a timeout; its signal aborts on timeout or when `signal` does. */
async function runCallback<T>(
  timeoutMs: number,
  signal: AbortSignal,
  callback: (signal: AbortSignal) => Promise<T> | T,
): Promise<Outcome<T>> {
  const controller = new AbortController();
  const onAbort = (): void => controller.abort(signal.reason);
  signal.addEventListener('abort', onAbort, { once: true });
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<Outcome<T>>((resolve) => {
    timer = setTimeout(() => {
      controller.abort(new Error(`timed out after ${timeoutMs} ms`));
      resolve({ ok: false, timedOut: true, cause: undefined });
    }, timeoutMs);
  });
  const run = (async (): Promise<Outcome<T>> => {
    try {
      return { ok: true, value: await callback(controller.signal) };
    } catch (cause) {
      return { ok: false, timedOut: false, cause };
    }
  })();
  try {
    return await Promise.race([run, timeout]);
  } finally {
    clearTimeout(timer);
    signal.removeEventListener('abort', onAbort);
  }
}
