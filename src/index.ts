/**
 * claude-actors: Claude Code queries as XState actors over the real CLI.
 *
 * @packageDocumentation
 */

export {
  type ClaudeProcessDependencies,
  fromClaudeProcess,
} from './actors/from-claude-process.js';
export { computeBackoff } from './core/backoff/compute-backoff.js';
export { ExponentialResetTimeout } from './core/backoff/exponential-reset-timeout.js';
export { ExponentialRestartBackoff } from './core/backoff/exponential-restart-backoff.js';
export { FixedResetTimeout } from './core/backoff/fixed-reset-timeout.js';
export type { ResetTimeout } from './core/backoff/reset-timeout.js';
export type {
  BackoffState,
  RestartBackoff,
  RestartBackoffOptions,
} from './core/backoff/restart-backoff.js';
export type { RetryPolicy } from './core/backoff/retry-policy.js';
export { systemClock, type TaskQueueClock } from './core/clock.js';
export { CancelledError } from './core/errors/cancelled-error.js';
export {
  ClaudeActorsError,
  type ErrorCode,
  type ErrorContext,
  isClaudeActorsError,
} from './core/errors/claude-actors-error.js';
export type { Logger } from './core/logging/create-logger.js';
export { createLogger } from './core/logging/create-logger.js';
export { REDACTED, SECRET_KEY_PATTERN } from './core/redaction/redact-for-display.js';
export {
  redactInspectionEvent,
  redactingObserver,
  redactValue,
} from './core/redaction/redact-inspection-event.js';
export { redactPersistence } from './core/redaction/redact-persistence.js';
export { redactSecrets } from './core/redaction/redact-secrets.js';
export {
  type FormatZodIssuesOptions,
  formatPath,
  formatZodIssues,
  hasSecretKey,
  renderValue,
} from './core/validation/format-zod-issues.js';
export { InvalidOptionsError, type OptionIssue } from './core/validation/invalid-options-error.js';
export { STATELY_INSPECTOR_URL } from './inspection/bridge-page.js';
export { type ExposedInspector, exposeInspector } from './inspection/expose-inspector.js';
export type {
  ExposeInspectorOptions,
  LoopbackHost,
} from './inspection/expose-inspector-options.js';
export {
  createInspectionRecorder,
  type InspectionRecorder,
  type InspectionRecorderOptions,
  type RecordedActor,
} from './inspection/inspection-recorder.js';
export type { InspectorLogger } from './inspection/inspector-logger.js';
export { classifyApiRetry } from './machines/query/classify/classify-api-retry.js';
export { classifyExit, type ExitFacts } from './machines/query/classify/classify-exit.js';
export { classifyResult } from './machines/query/classify/classify-result.js';
export type { LimiterSignal } from './machines/query/classify/to-limiter-signal.js';
export { toLimiterSignal } from './machines/query/classify/to-limiter-signal.js';
export {
  createQueryActor,
  type QueryActor,
  type QueryActorOptions,
} from './machines/query/create-query-actor.js';
export { ApiError, isTransientStatus } from './machines/query/errors/api-error.js';
export { QueryFailedError } from './machines/query/errors/query-failed-error.js';
export { TimeoutError, type TimeoutKind } from './machines/query/errors/timeout-error.js';
export {
  AGENT_SDK_HINTS,
  type AgentSdkOptionNames,
  agentSdkHint,
  normalizeAgentSdkOptions,
} from './machines/query/options/agent-sdk-options.js';
export { claudeProcessEnv } from './machines/query/options/claude-process-env.js';
export { parseQueryOptions } from './machines/query/options/parse-options.js';
export { type Prompt, parsePrompt, promptIssues } from './machines/query/options/parse-prompt.js';
export {
  type AgentDefinition,
  AgentDefinitionSchema,
  EFFORT_LEVELS,
  PERMISSION_MODES,
  type QueryOptions,
  QueryOptionsSchema,
  type ResolvedQueryOptions,
  RetryOptionsSchema,
  SETTING_SOURCES,
  TimeoutOptionsSchema,
} from './machines/query/options/query-options.js';
export { spawnOptionsFor } from './machines/query/options/spawn-options-for.js';
export { BASE_CLI_ARGS, toCliArgs } from './machines/query/options/to-cli-args.js';
export { type QueryChildSpecOptions, queryChildSpec } from './machines/query/query-child-spec.js';
export { queryMachine } from './machines/query/query-machine.js';
export type {
  ProcessEvent,
  ProcessInput,
  QueryControlEvent,
  QueryEvent,
  QueryInput,
  QueryMachineEvent,
  QueryPrompt,
  QueryResult,
  QueryStatus,
  QueryUsage,
} from './machines/query/query-types.js';
export { retryDelay } from './machines/query/retry/retry-delay.js';
export { type QueryHandle, type RunQueryOptions, runQuery } from './machines/query/run-query.js';
export { assistantText } from './machines/query/streams/assistant-text.js';
export { finalResult } from './machines/query/streams/final-result.js';
export { queryEvents } from './machines/query/streams/query-events.js';
export { messagesOf, queryMessages } from './machines/query/streams/query-messages.js';
export { textDeltas } from './machines/query/streams/text-deltas.js';
export { type ToolUse, toolUses } from './machines/query/streams/tool-uses.js';
export {
  answerControlRequest,
  type ControlAnswerConfig,
} from './machines/session/answer-control-request.js';
export {
  createSession,
  type SessionDependencies,
  sessionLogic,
} from './machines/session/create-session.js';
export { CallbackFailedError } from './machines/session/errors/callback-failed-error.js';
export { ControlRequestError } from './machines/session/errors/control-request-error.js';
export { ControlTimeoutError } from './machines/session/errors/control-timeout-error.js';
export { SessionClosedError } from './machines/session/errors/session-closed-error.js';
export { fromControlHandler } from './machines/session/from-control-handler.js';
export { fromSessionProcess } from './machines/session/from-session-process.js';
export {
  type HookEntry,
  hookLookup,
  hookRegistration,
} from './machines/session/hook-registration.js';
export type {
  PermissionMode,
  Session,
  SessionLifecycleEvent,
  SessionPrompt,
  SessionStatus,
  Turn,
  TurnResult,
} from './machines/session/session.js';
export {
  type SessionChildSpec,
  type SessionChildSpecOptions,
  sessionChildSpec,
} from './machines/session/session-child-spec.js';
export type { SessionActor } from './machines/session/session-handle.js';
export { INITIALIZE_REQUEST_ID, sessionMachine } from './machines/session/session-machine.js';
export {
  type CanUseTool,
  type CanUseToolContext,
  type HookCallback,
  type HookEvent,
  type HookMatcher,
  type HookOutput,
  type PermissionDecision,
  parseSessionOptions,
  type ResolvedSessionOptions,
  SessionOnlyOptionsSchema,
  type SessionOptions,
} from './machines/session/session-options.js';
export type {
  ControlHandlerInput,
  ControlHandlerOutput,
  HookRegistration,
  PendingControl,
  QueuedTurn,
  SessionCallerEvent,
  SessionContext,
  SessionEmitted,
  SessionInput,
  SessionMachineEvent,
  SessionOutput,
  SessionProcessCommand,
  SessionProcessEvent,
  SessionProcessInput,
} from './machines/session/session-types.js';
export {
  type BatchedOptions,
  type BatchedResult,
  batched,
} from './orchestration/patterns/batched.js';
export { withContext } from './orchestration/patterns/context-block.js';
export { type FallbackResult, fallback } from './orchestration/patterns/fallback.js';
export {
  type Completed,
  type ParallelOptions,
  type ParallelResult,
  parallel,
} from './orchestration/patterns/parallel.js';
export type {
  PatternEvent,
  PatternRun,
  PatternTask,
  QueryRunner,
} from './orchestration/patterns/pattern-types.js';
export {
  type PipelineOptions,
  type PipelineResult,
  type PipelineStep,
  pipeline,
} from './orchestration/patterns/pipeline.js';
export { notRunResult } from './orchestration/patterns/task-runner.js';
export {
  type RetriedResult,
  type RetryAttempt,
  type WithRetryOptions,
  withRetry,
} from './orchestration/patterns/with-retry.js';
export {
  DEPENDENCY_PLACEHOLDER,
  dependencyPlaceholders,
} from './orchestration/plan/dependency-placeholders.js';
export {
  InvalidPlanError,
  type PlanIssue,
} from './orchestration/plan/errors/invalid-plan-error.js';
export type { OrchestrationErrorCode } from './orchestration/plan/errors/plan-error-code.js';
export {
  PlanGraphError,
  type PlanGraphIssue,
  type PlanGraphProblem,
} from './orchestration/plan/errors/plan-graph-error.js';
export { loadPlan } from './orchestration/plan/load-plan.js';
export { type ParsePlanOptions, parsePlan } from './orchestration/plan/parse-plan.js';
export { planJsonSchema } from './orchestration/plan/plan-json-schema.js';
export {
  type Plan,
  type PlanInput,
  type PlanQueryOptions,
  PlanQueryOptionsSchema,
  PlanSchema,
  type PlanTask,
  PlanTaskSchema,
  TASK_ID_PATTERN,
  TaskRetrySchema,
} from './orchestration/plan/plan-schema.js';
export { type PlanGraphTask, validatePlanGraph } from './orchestration/plan/validate-plan-graph.js';
export {
  type PlannedRun,
  type PlannerOptions,
  planFromRequirements,
  plannerPrompt,
} from './orchestration/planner/plan-from-requirements.js';
export { PlannerError } from './orchestration/planner/planner-error.js';
export { OutputPathError } from './orchestration/report/errors/output-path-error.js';
export {
  outputPathProblem,
  taskOutputFileProblem,
} from './orchestration/report/output-path-problem.js';
export type {
  RunStatus,
  RunSummary,
  TaskRow,
  TaskStatus,
} from './orchestration/report/run-summary.js';
export { type SummarizeInput, summarize } from './orchestration/report/summarize.js';
export {
  taskOutputPath,
  type WrittenReport,
  writeRunReport,
} from './orchestration/report/write-run-report.js';
export {
  buildTaskPrompt,
  type DependencyOutput,
} from './orchestration/task-queue/build-task-prompt.js';
export { WorkerCrashedError } from './orchestration/task-queue/errors/worker-crashed-error.js';
export { runTaskQueue, type TaskQueueRun } from './orchestration/task-queue/run-task-queue.js';
export type {
  TaskEventBase,
  TaskEventFields,
  TaskProgressEvent,
  TaskProgressEventType,
} from './orchestration/task-queue/task-progress-event.js';
export { taskQueryOptions } from './orchestration/task-queue/task-query-options.js';
export {
  type ResolvedTaskQueueOptions,
  type TaskQueueOptions,
  TaskQueueOptionsSchema,
} from './orchestration/task-queue/task-queue-options.js';
export type {
  TaskAssignment,
  TaskQueueRuntime,
  TaskWorkerQueue,
} from './orchestration/task-queue/task-scheduler.js';
export {
  type TaskWorkerInput,
  type TaskWorkerLogic,
  type TaskWorkerOutput,
  taskWorkerMachine,
} from './orchestration/task-queue/task-worker-machine.js';
export {
  type CleanupWorktreesOptions,
  type CleanupWorktreesResult,
  cleanupWorktrees,
} from './orchestration/worktree/cleanup-worktrees.js';
export {
  createWorktreeManager,
  type TaskWorktree,
  type WorktreeManager,
  type WorktreeManagerOptions,
} from './orchestration/worktree/create-worktree-manager.js';
export { WorktreeError } from './orchestration/worktree/errors/worktree-error.js';
export {
  WORKTREE_BRANCH_PREFIX,
  worktreeBranch,
} from './orchestration/worktree/worktree-branch.js';
export { ExecutableNotFoundError } from './process/errors/executable-not-found-error.js';
export { ProcessExitedError } from './process/errors/process-exited-error.js';
export { SpawnFailedError } from './process/errors/spawn-failed-error.js';
export { type PoolActorInput, poolActorLogic } from './process/pool/pool-actor.js';
export { poolKey } from './process/pool/pool-key.js';
export {
  type ProcessPoolOptions,
  ProcessPoolOptionsSchema,
  parseProcessPoolOptions,
  type ResolvedProcessPoolOptions,
} from './process/pool/pool-options.js';
export {
  isReleasable,
  type ReleasableProcess,
  type ReleaseInfo,
} from './process/pool/pooled-process.js';
export {
  ProcessPool,
  type ProcessPoolDependencies,
  type ProcessPoolStats,
} from './process/pool/process-pool.js';
export { liveProcesses, waitForNoLiveProcesses } from './process/registry/process-registry.js';
export { PROCESS_MARKER_VAR } from './process/registry/process-tree.js';
export { buildEnv } from './process/spawn/build-env.js';
export { EXECUTABLE_ENV_VAR, resolveExecutable } from './process/spawn/resolve-executable.js';
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
  isControlRequest,
  isHookCallbackRequest,
  isMcpMessageRequest,
  isResultMessage,
  isStreamEvent,
  isSystemInit,
  isSystemMessage,
  type ParsedCliLine,
} from './protocol/cli-message-guards.js';
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
  PROTOCOL_SAMPLE_CHARS,
  type ProtocolErrorEvent,
  type ProtocolErrorReason,
  protocolError,
  takeSample,
} from './protocol/protocol-event.js';
export { serializeHostMessage } from './protocol/serialize-host-message.js';
export type { BreakerPolicy } from './resilience/breaker/breaker-policy.js';
export type { BreakerOutcome, BreakerState } from './resilience/breaker/breaker-state.js';
export {
  type AllowRequest,
  type CircuitBreakerClient,
  circuitBreakerClient,
} from './resilience/breaker/circuit-breaker-client.js';
export {
  type CircuitBreakerOptions,
  CircuitBreakerOptionsSchema,
  type ResolvedCircuitBreakerOptions,
} from './resilience/breaker/circuit-breaker-options.js';
export type {
  BreakerContext,
  CircuitBreakerEmitted,
  CircuitBreakerEvent,
  CircuitBreakerReply,
} from './resilience/breaker/circuit-breaker-types.js';
export {
  ConsecutiveFailuresPolicy,
  type ConsecutiveFailuresState,
} from './resilience/breaker/consecutive-failures-policy.js';
export { countsAsApiFailure } from './resilience/breaker/counts-as-api-failure.js';
export {
  type CircuitBreakerLogic,
  type CircuitBreakerRef,
  type CircuitBreakerSnapshot,
  createCircuitBreaker,
} from './resilience/breaker/create-circuit-breaker.js';
export {
  type FailureRatioConfig,
  FailureRatioPolicy,
  type FailureRatioState,
  type RatioBucket,
} from './resilience/breaker/failure-ratio-policy.js';
export {
  type BudgetClient,
  type BudgetRequest,
  budgetClient,
} from './resilience/budget/budget-client.js';
export {
  type BudgetLimit,
  type BudgetOptions,
  BudgetOptionsSchema,
  type ResolvedBudgetOptions,
} from './resilience/budget/budget-options.js';
export type {
  BudgetContext,
  BudgetEmitted,
  BudgetEvent,
  BudgetReply,
} from './resilience/budget/budget-types.js';
export { checkBudget, remainingUsd } from './resilience/budget/check-budget.js';
export {
  type BudgetLogic,
  type BudgetRef,
  type BudgetSnapshot,
  createBudget,
} from './resilience/budget/create-budget.js';
export type { BudgetSpending, Spending } from './resilience/budget/spending.js';
export { type Stats, type StatsEntry, UNKNOWN_MODEL } from './resilience/budget/stats.js';
export {
  BudgetExceededError,
  type BudgetScope,
  type BudgetUnit,
} from './resilience/errors/budget-exceeded-error.js';
export { CircuitOpenError } from './resilience/errors/circuit-open-error.js';
export { RateLimitQueueFullError } from './resilience/errors/rate-limit-queue-full-error.js';
export type { ResilienceErrorCode } from './resilience/errors/resilience-error-code.js';
export {
  type AdaptiveConcurrencyConfig,
  adaptConcurrency,
  type ConcurrencyState,
} from './resilience/limiter/adaptive-concurrency.js';
export {
  createRateLimiter,
  type RateLimiterLogic,
  type RateLimiterPersistedSnapshot,
  type RateLimiterSnapshot,
} from './resilience/limiter/create-rate-limiter.js';
export {
  type AcquireRequest,
  type RateLimiterClient,
  type RateLimiterRef,
  rateLimiterClient,
} from './resilience/limiter/rate-limiter-client.js';
export {
  type RateLimiterOptions,
  RateLimiterOptionsSchema,
  type ResolvedRateLimiterOptions,
} from './resilience/limiter/rate-limiter-options.js';
export type {
  Permit,
  PermitUsage,
  RateLimiterEmitted,
  RateLimiterEvent,
  RateLimiterPersistedState,
  RateLimiterReply,
  RateLimiterStateView,
} from './resilience/limiter/rate-limiter-types.js';
export {
  createRuntime,
  type RunningQuery,
  type Runtime,
  type RuntimeQueryHandle,
  type RuntimeQueryOptions,
} from './runtime/create-runtime.js';
export {
  parseRuntimeOptions,
  QueriesSupervisorOptionsSchema,
  type ResolvedRuntimeOptions,
  RootSupervisorOptionsSchema,
  type RuntimeOptions,
  RuntimeOptionsSchema,
} from './runtime/runtime-options.js';
export { type SupervisionNode, supervisionTree } from './runtime/supervision-tree.js';
export { ChildSpecSchema, SupervisorFlagsSchema } from './supervisors/child-spec-schema.js';
export {
  createSupervisor,
  type SupervisorLogic,
  type SupervisorSnapshot,
} from './supervisors/create-supervisor.js';
export { defaultExitReason } from './supervisors/normalize-child-spec.js';
export { addRestart } from './supervisors/restart-intensity.js';
export { SHUTDOWN_EVENT, type ShutdownEvent } from './supervisors/shutdown-event.js';
export { type SupervisorClient, supervisorClient } from './supervisors/supervisor-client.js';
export type { SupervisedChildView, SupervisorContext } from './supervisors/supervisor-context.js';
export type { SupervisorOutput } from './supervisors/supervisor-run.js';
export {
  type SupervisedChild,
  type SupervisorView,
  supervisorViewOf,
} from './supervisors/supervisor-view.js';
export type {
  AutoShutdown,
  ChildCounts,
  ChildEnd,
  ChildInfo,
  ChildRefView,
  ChildSpec,
  ChildType,
  DynamicError,
  ExitReason,
  RestartType,
  ShutdownSpec,
  StartResult,
  Strategy,
  SupervisorEvent,
  SupervisorFlags,
  SupervisorResult,
} from './supervisors/types.js';
export { countChildren, whichChildren } from './supervisors/which-children.js';
