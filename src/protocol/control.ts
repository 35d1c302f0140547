import { z } from 'zod';
import { MORE_HOST_CONTROL_REQUESTS } from './host-control-requests.js';

// Control messages flow both ways over the same pipes: a `control_request` carries a
// `request_id`, and the answer is a `control_response` with the same id, possibly out of order.

/** A successful answer to a control request. */
export const ControlSuccessSchema = z.looseObject({
  subtype: z.literal('success'),
  request_id: z.string(),
  response: z.record(z.string(), z.unknown()).optional(),
});

/** A successful answer to a control request. */
export type ControlSuccess = z.infer<typeof ControlSuccessSchema>;

/** A failed control request; the CLI uses `error_code: "unsupported_request"` for unknown ones. */
export const ControlErrorSchema = z.looseObject({
  subtype: z.literal('error'),
  request_id: z.string(),
  error: z.string(),
  error_code: z.string().optional(),
});

/** A failed control request. */
export type ControlError = z.infer<typeof ControlErrorSchema>;

/** `control_response`: the answer to a control request, in either direction. */
export const ControlResponseMessageSchema = z.looseObject({
  type: z.literal('control_response'),
  response: z.discriminatedUnion('subtype', [ControlSuccessSchema, ControlErrorSchema]),
});

/** `control_response`: the answer to a control request, in either direction. */
export type ControlResponseMessage = z.infer<typeof ControlResponseMessageSchema>;

/** `control_cancel_request`: the sender no longer wants an answer to `request_id`. */
export const ControlCancelRequestMessageSchema = z.looseObject({
  type: z.literal('control_cancel_request'),
  request_id: z.string(),
});

/** `control_cancel_request`: the sender no longer wants an answer to `request_id`. */
export type ControlCancelRequestMessage = z.infer<typeof ControlCancelRequestMessageSchema>;

// --- Requests from the CLI to the host ---

/**
 * `can_use_tool`: the CLI asks whether a tool may run (with `--permission-prompt-tool stdio`).
 * Answer with a {@link PermissionResult}.
 */
export const CanUseToolRequestSchema = z.looseObject({
  subtype: z.literal('can_use_tool'),
  tool_name: z.string(),
  input: z.record(z.string(), z.unknown()),
  permission_suggestions: z.array(z.unknown()).optional(),
  tool_use_id: z.string().optional(),
  blocked_path: z.string().optional(),
  description: z.string().optional(),
  decision_reason: z.string().optional(),
  decision_reason_type: z.string().optional(),
  title: z.string().optional(),
  display_name: z.string().optional(),
  agent_id: z.string().optional(),
  mcp_server: z
    .looseObject({ name: z.string().optional(), source: z.string().optional() })
    .optional(),
  default_to_no: z.boolean().optional(),
  requires_user_interaction: z.boolean().optional(),
});

/** `can_use_tool`: the CLI asks whether a tool may run. */
export type CanUseToolRequest = z.infer<typeof CanUseToolRequestSchema>;

/** `hook_callback`: the CLI runs a hook the host registered with `initialize`. */
export const HookCallbackRequestSchema = z.looseObject({
  subtype: z.literal('hook_callback'),
  callback_id: z.string(),
  input: z.unknown(),
  tool_use_id: z.string().optional(),
});

/** `hook_callback`: the CLI runs a hook the host registered with `initialize`. */
export type HookCallbackRequest = z.infer<typeof HookCallbackRequestSchema>;

/** `mcp_message`: a JSON-RPC message for an in-process (SDK) MCP server of the host. */
export const McpMessageRequestSchema = z.looseObject({
  subtype: z.literal('mcp_message'),
  server_name: z.string(),
  message: z.looseObject({}),
});

/** `mcp_message`: a JSON-RPC message for an in-process MCP server of the host. */
export type McpMessageRequest = z.infer<typeof McpMessageRequestSchema>;

/**
 * `elicitation`: an MCP server asks the user for input (a form, or a URL to open). Answer with
 * an {@link ElicitationAnswer}; `decline` when the host has nobody to ask.
 */
export const ElicitationRequestSchema = z.looseObject({
  subtype: z.literal('elicitation'),
  mcp_server_name: z.string(),
  message: z.string(),
  mode: z.string().optional(),
  url: z.string().optional(),
  elicitation_id: z.string().optional(),
  requested_schema: z.record(z.string(), z.unknown()).optional(),
  title: z.string().optional(),
  display_name: z.string().optional(),
  description: z.string().optional(),
});

/** `elicitation`: an MCP server asks the user for input. */
export type ElicitationRequest = z.infer<typeof ElicitationRequestSchema>;

/** The answer to `elicitation` (MCP's ElicitResult): accept with content, decline or cancel. */
export const ElicitationAnswerSchema = z.discriminatedUnion('action', [
  z.looseObject({
    action: z.literal('accept'),
    content: z.record(z.string(), z.unknown()).optional(),
  }),
  z.looseObject({ action: z.literal('decline') }),
  z.looseObject({ action: z.literal('cancel') }),
]);

/** The answer to `elicitation`. */
export type ElicitationAnswer = z.infer<typeof ElicitationAnswerSchema>;

/** Any other request from the CLI: answer it with a `controlError` if it is not understood. */
export const OtherControlRequestSchema = z.looseObject({ subtype: z.string() });

/** Any other request from the CLI. */
export type OtherControlRequest = z.infer<typeof OtherControlRequestSchema>;

/**
 * Wraps a request schema in the `control_request` envelope.
 * @internal
 */
export function controlRequestEnvelope<R extends z.ZodType>(request: R) {
  return z.looseObject({
    type: z.literal('control_request'),
    request_id: z.string(),
    request,
  });
}

/**
 * `control_request` from the CLI to the host. Known subtypes are checked by their own schema
 * (see `parseCliLine`); any other subtype passes as an {@link OtherControlRequest}.
 */
export const ControlRequestMessageSchema = controlRequestEnvelope(
  z.union([
    CanUseToolRequestSchema,
    HookCallbackRequestSchema,
    McpMessageRequestSchema,
    ElicitationRequestSchema,
    OtherControlRequestSchema,
  ]),
);

/** `control_request` from the CLI to the host; narrow `request` with the request guards. */
export type ControlRequestMessage = z.infer<typeof ControlRequestMessageSchema>;

// --- Answers the host gives to the CLI's requests ---

/** The answer to `can_use_tool`: allow (possibly with a changed input) or deny. */
export const PermissionResultSchema = z.discriminatedUnion('behavior', [
  z.looseObject({
    behavior: z.literal('allow'),
    updatedInput: z.record(z.string(), z.unknown()),
    updatedPermissions: z.array(z.unknown()).optional(),
  }),
  z.looseObject({
    behavior: z.literal('deny'),
    message: z.string(),
    interrupt: z.boolean().optional(),
  }),
]);

/** The answer to `can_use_tool`: allow (possibly with a changed input) or deny. */
export type PermissionResult = z.infer<typeof PermissionResultSchema>;

/** The answer to `hook_callback`: the hook's JSON output (`continue`, `decision`...). */
export const HookCallbackResultSchema = z.record(z.string(), z.unknown());

/** The answer to `hook_callback`: the hook's JSON output. */
export type HookCallbackResult = z.infer<typeof HookCallbackResultSchema>;

/** The answer to `mcp_message`: the in-process server's JSON-RPC reply. */
export const McpMessageResultSchema = z.looseObject({ mcp_response: z.looseObject({}) });

/** The answer to `mcp_message`: the in-process server's JSON-RPC reply. */
export type McpMessageResult = z.infer<typeof McpMessageResultSchema>;

// --- Requests from the host to the CLI ---

/**
 * `initialize`: optional first request; registers hook callback ids per event, prompts and
 * in-process MCP servers. The CLI answers with its commands, models and account.
 */
export const InitializeRequestSchema = z.looseObject({
  subtype: z.literal('initialize'),
  hooks: z
    .record(
      z.string(),
      z.array(
        z.looseObject({
          matcher: z.string().optional(),
          hookCallbackIds: z.array(z.string()),
          timeout: z.number().optional(),
        }),
      ),
    )
    .optional(),
  systemPrompt: z.string().optional(),
  appendSystemPrompt: z.string().optional(),
  sdkMcpServers: z.array(z.string()).optional(),
  jsonSchema: z.record(z.string(), z.unknown()).optional(),
});

/** `initialize`: optional first request. */
export type InitializeRequest = z.infer<typeof InitializeRequestSchema>;

/** `interrupt`: stop the current turn; it ends with a `result` (`error_during_execution`). */
export const InterruptRequestSchema = z.looseObject({ subtype: z.literal('interrupt') });

/** `interrupt`: stop the current turn. */
export type InterruptRequest = z.infer<typeof InterruptRequestSchema>;

/** `set_model`: switch model for the next requests (`undefined`: back to the default). */
export const SetModelRequestSchema = z.looseObject({
  subtype: z.literal('set_model'),
  model: z.string().optional(),
});

/** `set_model`: switch model for the next requests. */
export type SetModelRequest = z.infer<typeof SetModelRequestSchema>;

/** `set_permission_mode`: switch permission mode (`default`, `acceptEdits`, `plan`...). */
export const SetPermissionModeRequestSchema = z.looseObject({
  subtype: z.literal('set_permission_mode'),
  mode: z.string(),
});

/** `set_permission_mode`: switch permission mode. */
export type SetPermissionModeRequest = z.infer<typeof SetPermissionModeRequestSchema>;

/** `mcp_status`: ask for the state of every MCP server (answer: `{ mcpServers: [...] }`). */
export const McpStatusRequestSchema = z.looseObject({ subtype: z.literal('mcp_status') });

/** `mcp_status`: ask for the state of every MCP server. */
export type McpStatusRequest = z.infer<typeof McpStatusRequestSchema>;

/** A request the host may send to the CLI, discriminated on `subtype`. */
export const HostControlRequestSchema = z.discriminatedUnion('subtype', [
  InitializeRequestSchema,
  InterruptRequestSchema,
  SetModelRequestSchema,
  SetPermissionModeRequestSchema,
  McpStatusRequestSchema,
  ...MORE_HOST_CONTROL_REQUESTS,
]);

/** A request the host may send to the CLI. */
export type HostControlRequest = z.input<typeof HostControlRequestSchema>;
