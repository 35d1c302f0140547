import { z } from 'zod';

// The `system` subtypes the CLI writes besides init/api_retry/status/compact_boundary (CLI
// 2.1.33x; the field lists follow the Agent SDK's `SDK*Message` types). Each schema requires
// only what identifies the event; every other field is optional and enumerations are plain
// strings, so a CLI that adds a value or drops an optional field does not turn a line into a
// protocol error.

const base = {
  type: z.literal('system'),
  session_id: z.string().optional(),
  uuid: z.string().optional(),
};
const str = z.string().optional();
const num = z.number().optional();
const bool = z.boolean().optional();
const taskUsage = z.looseObject({ total_tokens: num, tool_uses: num, duration_ms: num }).optional();

/** `system`/`task_started`: a subagent or background task started (Task tool, workflows). */
export const TaskStartedMessageSchema = z.looseObject({
  ...base,
  subtype: z.literal('task_started'),
  task_id: z.string(),
  run_id: str,
  tool_use_id: str,
  description: str,
  subagent_type: str,
  task_type: str,
  parent_task_id: str,
  is_backgrounded: bool,
  prompt: str,
});
/** `system`/`task_started`: a subagent or background task started. */
export type TaskStartedMessage = z.infer<typeof TaskStartedMessageSchema>;

/** `system`/`task_progress`: a running task's usage so far and its last tool. */
export const TaskProgressMessageSchema = z.looseObject({
  ...base,
  subtype: z.literal('task_progress'),
  task_id: z.string(),
  run_id: str,
  tool_use_id: str,
  description: str,
  usage: taskUsage,
  last_tool_name: str,
  summary: str,
});
/** `system`/`task_progress`: a running task's usage so far. */
export type TaskProgressMessage = z.infer<typeof TaskProgressMessageSchema>;

/** `system`/`task_updated`: a patch of a task's state (`status`, `error`, `end_time`...). */
export const TaskUpdatedMessageSchema = z.looseObject({
  ...base,
  subtype: z.literal('task_updated'),
  task_id: z.string(),
  run_id: str,
  patch: z
    .looseObject({
      status: str,
      description: str,
      end_time: num,
      error: str,
      is_backgrounded: bool,
    })
    .optional(),
});
/** `system`/`task_updated`: a patch of a task's state. */
export type TaskUpdatedMessage = z.infer<typeof TaskUpdatedMessageSchema>;

/** `system`/`task_notification`: a task ended (`completed`, `failed`, `stopped`). */
export const TaskNotificationMessageSchema = z.looseObject({
  ...base,
  subtype: z.literal('task_notification'),
  task_id: z.string(),
  run_id: str,
  tool_use_id: str,
  status: str,
  reason: str,
  output_file: str,
  summary: str,
  usage: taskUsage,
});
/** `system`/`task_notification`: a task ended. */
export type TaskNotificationMessage = z.infer<typeof TaskNotificationMessageSchema>;

// A hook's id correlates its started/progress/response events; older CLIs may leave it out.
const hook = {
  ...base,
  hook_id: str,
  hook_name: str,
  hook_event: str,
};

/** `system`/`hook_started`: a hook began (with `includeHookEvents`). */
export const HookStartedMessageSchema = z.looseObject({
  ...hook,
  subtype: z.literal('hook_started'),
});
/** `system`/`hook_started`: a hook began. */
export type HookStartedMessage = z.infer<typeof HookStartedMessageSchema>;

/** `system`/`hook_progress`: output of a running hook so far. */
export const HookProgressMessageSchema = z.looseObject({
  ...hook,
  subtype: z.literal('hook_progress'),
  stdout: str,
  stderr: str,
  output: str,
});
/** `system`/`hook_progress`: output of a running hook so far. */
export type HookProgressMessage = z.infer<typeof HookProgressMessageSchema>;

/** `system`/`hook_response`: a hook ended (`outcome`: success, error, cancelled). */
export const HookResponseMessageSchema = z.looseObject({
  ...hook,
  subtype: z.literal('hook_response'),
  output: str,
  stdout: str,
  stderr: str,
  exit_code: num,
  outcome: str,
});
/** `system`/`hook_response`: a hook ended. */
export type HookResponseMessage = z.infer<typeof HookResponseMessageSchema>;

/** `system`/`permission_denied`: a tool call was refused (by a rule, a mode or the host). */
export const PermissionDeniedMessageSchema = z.looseObject({
  ...base,
  subtype: z.literal('permission_denied'),
  tool_name: z.string(),
  tool_use_id: str,
  agent_id: str,
  decision_reason_type: str,
  decision_reason: str,
  message: str,
});
/** `system`/`permission_denied`: a tool call was refused. */
export type PermissionDeniedMessage = z.infer<typeof PermissionDeniedMessageSchema>;

const refusal = {
  ...base,
  original_model: str,
  request_id: z.string().nullable().optional(),
  api_refusal_category: z.string().nullable().optional(),
  api_refusal_explanation: z.string().nullable().optional(),
  content: str,
};

/** `system`/`model_refusal_fallback`: the model refused and the CLI switched model. */
export const ModelRefusalFallbackMessageSchema = z.looseObject({
  ...refusal,
  subtype: z.literal('model_refusal_fallback'),
  fallback_model: str,
  direction: str,
  scope: str,
});
/** `system`/`model_refusal_fallback`: the model refused and the CLI switched model. */
export type ModelRefusalFallbackMessage = z.infer<typeof ModelRefusalFallbackMessageSchema>;

/** `system`/`model_refusal_no_fallback`: the model refused and no fallback was configured. */
export const ModelRefusalNoFallbackMessageSchema = z.looseObject({
  ...refusal,
  subtype: z.literal('model_refusal_no_fallback'),
});
/** `system`/`model_refusal_no_fallback`: the model refused and no fallback was configured. */
export type ModelRefusalNoFallbackMessage = z.infer<typeof ModelRefusalNoFallbackMessageSchema>;

/** `system`/`notification`: a notice for the user (`priority` low to immediate). */
export const NotificationMessageSchema = z.looseObject({
  ...base,
  subtype: z.literal('notification'),
  key: str,
  text: z.string(),
  priority: str,
});
/** `system`/`notification`: a notice for the user. */
export type NotificationMessage = z.infer<typeof NotificationMessageSchema>;

/** `system`/`informational`: an informational line (`level` info, notice, warning...). */
export const InformationalMessageSchema = z.looseObject({
  ...base,
  subtype: z.literal('informational'),
  content: z.string(),
  level: str,
  tool_use_id: str,
});
/** `system`/`informational`: an informational line. */
export type InformationalMessage = z.infer<typeof InformationalMessageSchema>;

/** `system`/`files_persisted`: files uploaded for the session, and those that failed. */
export const FilesPersistedMessageSchema = z.looseObject({
  ...base,
  subtype: z.literal('files_persisted'),
  files: z.array(z.looseObject({ filename: z.string(), file_id: str })).optional(),
  failed: z.array(z.looseObject({ filename: z.string(), error: str })).optional(),
  processed_at: str,
});
/** `system`/`files_persisted`: files uploaded for the session. */
export type FilesPersistedMessage = z.infer<typeof FilesPersistedMessageSchema>;

/** `system`/`session_state_changed`: `idle`, `running` or `requires_action`. */
export const SessionStateChangedMessageSchema = z.looseObject({
  ...base,
  subtype: z.literal('session_state_changed'),
  state: z.string(),
});
/** `system`/`session_state_changed`: the session went idle, running or requires action. */
export type SessionStateChangedMessage = z.infer<typeof SessionStateChangedMessageSchema>;

/** `system`/`session_writes_lost`: the CLI could not write its transcript (disk full). */
export const SessionWritesLostMessageSchema = z.looseObject({
  ...base,
  subtype: z.literal('session_writes_lost'),
  error_code: str,
  lost: z.array(z.string()).optional(),
});
/** `system`/`session_writes_lost`: the CLI could not write its transcript. */
export type SessionWritesLostMessage = z.infer<typeof SessionWritesLostMessageSchema>;

/** `system`/`thinking_tokens`: an estimate of the thinking tokens spent so far. */
export const ThinkingTokensMessageSchema = z.looseObject({
  ...base,
  subtype: z.literal('thinking_tokens'),
  estimated_tokens: num,
  estimated_tokens_delta: num,
});
/** `system`/`thinking_tokens`: an estimate of the thinking tokens spent so far. */
export type ThinkingTokensMessage = z.infer<typeof ThinkingTokensMessageSchema>;

/** `system`/`local_command_output`: output of a local slash command. */
export const LocalCommandOutputMessageSchema = z.looseObject({
  ...base,
  subtype: z.literal('local_command_output'),
  content: z.string(),
});
/** `system`/`local_command_output`: output of a local slash command. */
export type LocalCommandOutputMessage = z.infer<typeof LocalCommandOutputMessageSchema>;

/** `system`/`worker_shutting_down`: the CLI is shutting down (`reason`). */
export const WorkerShuttingDownMessageSchema = z.looseObject({
  ...base,
  subtype: z.literal('worker_shutting_down'),
  reason: str,
});
/** `system`/`worker_shutting_down`: the CLI is shutting down. */
export type WorkerShuttingDownMessage = z.infer<typeof WorkerShuttingDownMessageSchema>;

/** `system`/`elicitation_complete`: an MCP server's elicitation was answered. */
export const ElicitationCompleteMessageSchema = z.looseObject({
  ...base,
  subtype: z.literal('elicitation_complete'),
  mcp_server_name: str,
  elicitation_id: z.string(),
});
/** `system`/`elicitation_complete`: an MCP server's elicitation was answered. */
export type ElicitationCompleteMessage = z.infer<typeof ElicitationCompleteMessageSchema>;

/** `system`/`control_request_progress`: a host control request started or is being retried. */
export const ControlRequestProgressMessageSchema = z.looseObject({
  ...base,
  subtype: z.literal('control_request_progress'),
  request_id: z.string(),
  status: str,
  attempt: num,
  retry_delay_ms: num,
});
/** `system`/`control_request_progress`: a host control request started or is being retried. */
export type ControlRequestProgressMessage = z.infer<typeof ControlRequestProgressMessageSchema>;

/** The event schemas above by subtype. */
export const SYSTEM_EVENT_SCHEMAS = {
  task_started: TaskStartedMessageSchema,
  task_progress: TaskProgressMessageSchema,
  task_updated: TaskUpdatedMessageSchema,
  task_notification: TaskNotificationMessageSchema,
  hook_started: HookStartedMessageSchema,
  hook_progress: HookProgressMessageSchema,
  hook_response: HookResponseMessageSchema,
  permission_denied: PermissionDeniedMessageSchema,
  model_refusal_fallback: ModelRefusalFallbackMessageSchema,
  model_refusal_no_fallback: ModelRefusalNoFallbackMessageSchema,
  notification: NotificationMessageSchema,
  informational: InformationalMessageSchema,
  files_persisted: FilesPersistedMessageSchema,
  session_state_changed: SessionStateChangedMessageSchema,
  session_writes_lost: SessionWritesLostMessageSchema,
  thinking_tokens: ThinkingTokensMessageSchema,
  local_command_output: LocalCommandOutputMessageSchema,
  worker_shutting_down: WorkerShuttingDownMessageSchema,
  elicitation_complete: ElicitationCompleteMessageSchema,
  control_request_progress: ControlRequestProgressMessageSchema,
} as const;

/** A `system` event of one of the subtypes above. */
export type SystemEventMessage = z.infer<
  (typeof SYSTEM_EVENT_SCHEMAS)[keyof typeof SYSTEM_EVENT_SCHEMAS]
>;
