/**
 * The stream-json wire format of the Claude Code CLI, both directions: zod schemas and types of
 * every message, the control protocol, host-side builders, guards, the tolerant line parser and
 * the bounded line decoder.
 *
 * For building your own transport or tooling on the CLI's protocol; running queries needs only
 * the package root, which re-exports the message types and guards that streams carry.
 *
 * @packageDocumentation
 */

// CLI → host: every message the CLI writes, its schema and type, and guards.

export {
  type ApiRetryMessage,
  ApiRetryMessageSchema,
  type AssistantMessage,
  AssistantMessageSchema,
  type AuthStatusMessage,
  AuthStatusMessageSchema,
  type CliMessage,
  type CompactBoundaryMessage,
  CompactBoundaryMessageSchema,
  isKnownSystemMessage,
  type KeepAliveMessage,
  KeepAliveMessageSchema,
  type KnownResultSubtype,
  type KnownSystemMessage,
  type KnownSystemSubtype,
  type OtherSystemMessage,
  OtherSystemMessageSchema,
  type RateLimitEventMessage,
  RateLimitEventMessageSchema,
  type ResultMessage,
  ResultMessageSchema,
  type StreamEventMessage,
  StreamEventMessageSchema,
  type SystemInitMessage,
  SystemInitMessageSchema,
  type SystemMessage,
  type SystemStatusMessage,
  SystemStatusMessageSchema,
  type ToolProgressMessage,
  ToolProgressMessageSchema,
  type UnknownCliMessage,
  type UserMessage,
  UserMessageSchema,
} from './protocol/cli-message.js';
export {
  isApiRetry,
  isAssistantMessage,
  isCanUseToolRequest,
  isCliMessageType,
  isControlRequest,
  isHookCallbackRequest,
  isMcpMessageRequest,
  isResultMessage,
  isStreamEvent,
  isSystemInit,
  isSystemMessage,
  isSystemSubtype,
  type ParsedCliLine,
} from './protocol/cli-message-guards.js';
export {
  type ActiveGoalMessage,
  ActiveGoalMessageSchema,
  type CliNoticeMessage,
  type ConversationResetMessage,
  ConversationResetMessageSchema,
  type PromptSuggestionMessage,
  PromptSuggestionMessageSchema,
  type ToolUseSummaryMessage,
  ToolUseSummaryMessageSchema,
} from './protocol/cli-notice-messages.js';
export {
  type ControlRequestProgressMessage,
  ControlRequestProgressMessageSchema,
  type ElicitationCompleteMessage,
  ElicitationCompleteMessageSchema,
  type FilesPersistedMessage,
  FilesPersistedMessageSchema,
  type HookProgressMessage,
  HookProgressMessageSchema,
  type HookResponseMessage,
  HookResponseMessageSchema,
  type HookStartedMessage,
  HookStartedMessageSchema,
  type InformationalMessage,
  InformationalMessageSchema,
  type LocalCommandOutputMessage,
  LocalCommandOutputMessageSchema,
  type ModelRefusalFallbackMessage,
  ModelRefusalFallbackMessageSchema,
  type ModelRefusalNoFallbackMessage,
  ModelRefusalNoFallbackMessageSchema,
  type NotificationMessage,
  NotificationMessageSchema,
  type PermissionDeniedMessage,
  PermissionDeniedMessageSchema,
  type SessionStateChangedMessage,
  SessionStateChangedMessageSchema,
  type SessionWritesLostMessage,
  SessionWritesLostMessageSchema,
  type SystemEventMessage,
  type TaskNotificationMessage,
  TaskNotificationMessageSchema,
  type TaskProgressMessage,
  TaskProgressMessageSchema,
  type TaskStartedMessage,
  TaskStartedMessageSchema,
  type TaskUpdatedMessage,
  TaskUpdatedMessageSchema,
  type ThinkingTokensMessage,
  ThinkingTokensMessageSchema,
  type WorkerShuttingDownMessage,
  WorkerShuttingDownMessageSchema,
} from './protocol/cli-system-events.js';
export {
  type ContentBlock,
  ContentBlockSchema,
  type DocumentBlock,
  DocumentBlockSchema,
  type ImageBlock,
  ImageBlockSchema,
  isContentBlockOf,
  isKnownContentBlock,
  type KnownContentBlock,
  KnownContentBlockSchema,
  type KnownContentBlockType,
  type OtherContentBlock,
  type RedactedThinkingBlock,
  RedactedThinkingBlockSchema,
  type TextBlock,
  TextBlockSchema,
  type ThinkingBlock,
  ThinkingBlockSchema,
  type ToolResultBlock,
  ToolResultBlockSchema,
  type ToolUseBlock,
  ToolUseBlockSchema,
} from './protocol/content-block.js';

// The control protocol: requests either side sends, and their responses.

export {
  type CanUseToolRequest,
  CanUseToolRequestSchema,
  type ControlCancelRequestMessage,
  ControlCancelRequestMessageSchema,
  type ControlError,
  ControlErrorSchema,
  type ControlRequestMessage,
  ControlRequestMessageSchema,
  type ControlResponseMessage,
  ControlResponseMessageSchema,
  type ControlSuccess,
  ControlSuccessSchema,
  type HookCallbackRequest,
  HookCallbackRequestSchema,
  type HookCallbackResult,
  HookCallbackResultSchema,
  type HostControlRequest,
  HostControlRequestSchema,
  type InitializeRequest,
  InitializeRequestSchema,
  type InterruptRequest,
  InterruptRequestSchema,
  type McpMessageRequest,
  McpMessageRequestSchema,
  type McpMessageResult,
  McpMessageResultSchema,
  type McpStatusRequest,
  McpStatusRequestSchema,
  type OtherControlRequest,
  OtherControlRequestSchema,
  type PermissionResult,
  PermissionResultSchema,
  type SetModelRequest,
  SetModelRequestSchema,
  type SetPermissionModeRequest,
  SetPermissionModeRequestSchema,
} from './protocol/control.js';

// Host → CLI: messages, their builders and the serializer.

export {
  type HostControlRequestMessage,
  HostControlRequestMessageSchema,
  type HostMessage,
  HostMessageSchema,
  type HostUserMessage,
  HostUserMessageSchema,
} from './protocol/host-message.js';
export {
  controlError,
  controlRequest,
  controlSuccess,
  type UserMessageOptions,
  userMessage,
} from './protocol/host-message-builders.js';
export { serializeHostMessage } from './protocol/serialize-host-message.js';

// Reading a stream: the bounded line decoder, the tolerant parser and its error events.

export {
  createLineDecoder,
  DEFAULT_MAX_LINE_BYTES,
  type LineDecoder,
  type LineDecoderOptions,
  type LineOverflowInfo,
} from './protocol/line-decoder.js';
export { parseCliLine } from './protocol/parse-cli-line.js';
export {
  isProtocolError,
  type ProtocolErrorEvent,
  type ProtocolErrorReason,
} from './protocol/protocol-event.js';
