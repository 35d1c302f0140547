/**
 * claude-actors: Claude Code queries as XState actors over the real CLI.
 *
 * The names below are the whole public surface of the package root, grouped in layer order.
 * The wire-format schemas live in `claude-actors/protocol`, the simulator in
 * `claude-actors/testing`. `api/index.api.md` is the generated report of this surface
 * (`npm run api:report`).
 *
 * @packageDocumentation
 */

// Errors: the base class, its guard and codes, and every error a caller may be handed.

export { CancelledError } from './core/errors/cancelled-error.js';
export {
  ClaudeActorsError,
  type ErrorContext,
  isClaudeActorsError,
} from './core/errors/claude-actors-error.js';
export { InvalidOptionsError, type OptionIssue } from './core/validation/invalid-options-error.js';
export { DistributedError } from './distributed/errors/distributed-error.js';
export { RemoteTaskError } from './distributed/errors/remote-task-error.js';
export type { ErrorCode } from './error-code.js';
export { CallbackFailedError } from './machines/control/errors/callback-failed-error.js';
export { ControlRequestError } from './machines/control/errors/control-request-error.js';
export { ApiError, isTransientStatus } from './machines/query/errors/api-error.js';
export { MissingCredentialsError } from './machines/query/errors/missing-credentials-error.js';
export { QueryFailedError } from './machines/query/errors/query-failed-error.js';
export { RateLimitedError } from './machines/query/errors/rate-limited-error.js';
export { StartupFailedError } from './machines/query/errors/startup-failed-error.js';
export {
  StructuredOutputError,
  type StructuredOutputIssue,
} from './machines/query/errors/structured-output-error.js';
export { TimeoutError, type TimeoutKind } from './machines/query/errors/timeout-error.js';
export { UsageLimitError } from './machines/query/errors/usage-limit-error.js';
export { ControlTimeoutError } from './machines/session/errors/control-timeout-error.js';
export { SessionClosedError } from './machines/session/errors/session-closed-error.js';
export {
  InvalidPlanError,
  type PlanIssue,
} from './orchestration/plan/errors/invalid-plan-error.js';
export {
  PlanGraphError,
  type PlanGraphIssue,
  type PlanGraphProblem,
} from './orchestration/plan/errors/plan-graph-error.js';
export { PlannerError } from './orchestration/planner/planner-error.js';
export { OutputPathError } from './orchestration/report/errors/output-path-error.js';
export { ResumeRefusedError } from './orchestration/task-queue/errors/resume-refused-error.js';
export { RunOwnedError } from './orchestration/task-queue/errors/run-owned-error.js';
export { WorkerCrashedError } from './orchestration/task-queue/errors/worker-crashed-error.js';
export { WorktreeError } from './orchestration/worktree/errors/worktree-error.js';
export { ExecutableNotFoundError } from './process/errors/executable-not-found-error.js';
export { ProcessExitedError } from './process/errors/process-exited-error.js';
export { SpawnFailedError } from './process/errors/spawn-failed-error.js';
export {
  BudgetExceededError,
  type BudgetScope,
  type BudgetUnit,
} from './resilience/errors/budget-exceeded-error.js';
export { CircuitOpenError } from './resilience/errors/circuit-open-error.js';
export { RateLimitQueueFullError } from './resilience/errors/rate-limit-queue-full-error.js';
export { StoreError } from './store/errors/store-error.js';
export {
  type ChildSpecErrorReason,
  InvalidChildSpecError,
} from './supervisors/errors/invalid-child-spec-error.js';
export { SupervisorStartError } from './supervisors/errors/supervisor-start-error.js';
export { MetricsUnavailableError } from './telemetry/errors/metrics-unavailable-error.js';
export { PluginRefusedError } from './telemetry/errors/plugin-refused-error.js';

// Store: the durable store (one SQLite file, or memory): the task queue's run journal, the
// session records, the runtime's state.

export type { RecordedSessions } from './runtime/recorded-sessions.js';
export { createMemoryStore } from './store/create-memory-store.js';
export type { StoreErrorCode } from './store/errors/store-error-code.js';
export { type OpenSqliteStoreOptions, openSqliteStore } from './store/open-sqlite-store.js';
export type { RunJournal, RunReopen } from './store/runs/run-journal.js';
export type {
  NewRunLease,
  RunLease,
  RunLeaseClaim,
  RunLeases,
  RunOwner,
} from './store/runs/run-lease.js';
export type { JournalRunStatus, RunRecord, RunStart } from './store/runs/run-record.js';
export type {
  JournalTaskStatus,
  TaskJournalEvent,
  TaskRecord,
  TaskSnapshot,
  TaskTransition,
  TaskUsageRecord,
} from './store/runs/task-record.js';
export type { TaskWrite } from './store/runs/task-write.js';
export type { SessionFilter } from './store/sessions/session-filter.js';
export type {
  SessionKind,
  SessionRecord,
  SessionRecordStatus,
  SessionTokens,
} from './store/sessions/session-record.js';
export { FIRST_PROMPT_MAX_LENGTH } from './store/sessions/session-record-schema.js';
export type { SessionPage, SessionStore } from './store/sessions/session-store.js';
export type { StateStore } from './store/state/state-store.js';
export type { Store } from './store/store.js';

// Logging: a pino logger that redacts secrets (the library logs nothing without one).

export { createLogger, type Logger } from './core/logging/create-logger.js';

// Queries: run one, its options, result and events, the machine and its classifiers.

export { classifyApiRetry } from './machines/query/classify/classify-api-retry.js';
export { classifyExit, type ExitFacts } from './machines/query/classify/classify-exit.js';
export { classifyResult } from './machines/query/classify/classify-result.js';
export {
  createQueryActor,
  type QueryActor,
  type QueryActorOptions,
} from './machines/query/create-query-actor.js';
export type {
  AttemptFacts,
  AttemptOutcome,
  AttemptRecord,
} from './machines/query/history/attempt-record.js';
export {
  type QueryExitFacts,
  queryExitReason,
} from './machines/query/history/query-exit-reason.js';
export {
  type QueryEnd,
  QueryHistory,
  type QueryHistoryStart,
} from './machines/query/history/query-history.js';
export { parseQueryOptions } from './machines/query/options/parse-options.js';
export {
  type AgentDefinition,
  type QueryOptions,
  QueryOptionsSchema,
  type ResolvedQueryOptions,
} from './machines/query/options/query-options.js';
export { toCliArgs } from './machines/query/options/to-cli-args.js';
export { type QueryChildSpecOptions, queryChildSpec } from './machines/query/query-child-spec.js';
export type { QueryInput } from './machines/query/query-input.js';
export { queryMachine } from './machines/query/query-machine.js';
export type {
  ProcessEvent,
  ProcessInput,
  QueryControlEvent,
  QueryEvent,
  QueryPrompt,
  QueryResult,
  QueryStatus,
  QueryUsage,
} from './machines/query/query-types.js';
export { type QueryHandle, type RunQueryOptions, runQuery } from './machines/query/run-query.js';

// Streams: operators over a query's events and messages, and the message types they carry.
// The zod schemas of these messages, and the control protocol, are in `claude-actors/protocol`.

export { assistantText } from './machines/query/streams/assistant-text.js';
export { finalResult } from './machines/query/streams/final-result.js';
export { queryEvents } from './machines/query/streams/query-events.js';
export { messagesOf, queryMessages } from './machines/query/streams/query-messages.js';
export { textDeltas } from './machines/query/streams/text-deltas.js';
export { type ToolUse, toolUses } from './machines/query/streams/tool-uses.js';
export {
  type ApiRetryMessage,
  type AssistantMessage,
  type CliMessage,
  isKnownSystemMessage,
  type KnownSystemMessage,
  type KnownSystemSubtype,
  type OtherSystemMessage,
  type ResultMessage,
  type StreamEventMessage,
  type SystemInitMessage,
  type SystemMessage,
  type UnknownCliMessage,
  type UserMessage,
} from './protocol/cli-message.js';
export {
  isApiRetry,
  isAssistantMessage,
  isCliMessageType,
  isResultMessage,
  isStreamEvent,
  isSystemInit,
  isSystemMessage,
  isSystemSubtype,
  type ParsedCliLine,
} from './protocol/cli-message-guards.js';
export {
  type ContentBlock,
  type DocumentBlock,
  type ImageBlock,
  isContentBlockOf,
  isKnownContentBlock,
  type KnownContentBlock,
  type KnownContentBlockType,
  type OtherContentBlock,
  type RedactedThinkingBlock,
  type TextBlock,
  type ThinkingBlock,
  type ToolResultBlock,
  type ToolUseBlock,
} from './protocol/content-block.js';
export type { ProtocolErrorEvent, ProtocolErrorReason } from './protocol/protocol-event.js';

// Sessions: one long-lived CLI per conversation, with permission and hook callbacks.

export type {
  CanUseTool,
  CanUseToolContext,
  ControlOptions,
  ElicitationDecision,
  ElicitationQuestion,
  HookCallback,
  HookEvent,
  HookMatcher,
  HookOutput,
  OnElicitation,
  OnUserDialog,
  PermissionDecision,
  UserDialogRequest,
  UserDialogResult,
} from './machines/control/control-options.js';
export { createSession } from './machines/session/create-session.js';
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
export type { SessionOptions } from './machines/session/session-options.js';
export type { SessionOutput } from './machines/session/session-types.js';

// Tools defined in code: in-process MCP servers for queries and sessions.

export {
  createSdkMcpServer,
  type JsonRpcMessage,
  type SdkMcpServer,
  type SdkMcpServerOptions,
} from './mcp/create-sdk-mcp-server.js';
export {
  type SdkTool,
  type ToolContext,
  type ToolResult,
  type ToolResultContent,
  tool,
} from './mcp/sdk-tool.js';

// Supervisors: OTP-style supervision of any XState actor.

export type { RestartBackoffOptions } from './core/backoff/restart-backoff.js';
export {
  createSupervisor,
  type SupervisorLogic,
  type SupervisorSnapshot,
} from './supervisors/create-supervisor.js';
export { SHUTDOWN_EVENT, type ShutdownEvent } from './supervisors/shutdown-event.js';
export { type SupervisorClient, supervisorClient } from './supervisors/supervisor-client.js';
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

// Resilience: the shared rate limiter, circuit breaker and budget, each usable on its own.

export type { LimiterSignal } from './machines/query/classify/to-limiter-signal.js';
export type { BreakerOutcome, BreakerState } from './resilience/breaker/breaker-state.js';
export {
  type AllowRequest,
  type CircuitBreakerClient,
  circuitBreakerClient,
} from './resilience/breaker/circuit-breaker-client.js';
export type { CircuitBreakerOptions } from './resilience/breaker/circuit-breaker-options.js';
export type { CircuitBreakerEmitted } from './resilience/breaker/circuit-breaker-types.js';
export { countsAsApiFailure } from './resilience/breaker/counts-as-api-failure.js';
export {
  type CircuitBreakerLogic,
  type CircuitBreakerRef,
  type CircuitBreakerSnapshot,
  createCircuitBreaker,
} from './resilience/breaker/create-circuit-breaker.js';
export {
  type BudgetClient,
  type BudgetRequest,
  budgetClient,
} from './resilience/budget/budget-client.js';
export type { BudgetLimit, BudgetOptions } from './resilience/budget/budget-options.js';
export { toBudgetSnapshot } from './resilience/budget/budget-snapshot.js';
export type { BudgetEmitted } from './resilience/budget/budget-types.js';
export {
  type BudgetLogic,
  type BudgetRef,
  type BudgetSnapshot,
  createBudget,
} from './resilience/budget/create-budget.js';
export type { BudgetSpending, Spending } from './resilience/budget/spending.js';
export type { Stats, StatsEntry } from './resilience/budget/stats.js';
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
export type { RateLimiterOptions } from './resilience/limiter/rate-limiter-options.js';
export type {
  Permit,
  PermitUsage,
  RateLimiterEmitted,
  RateLimiterPersistedState,
  RateLimiterStateView,
} from './resilience/limiter/rate-limiter-types.js';

// Observability: OpenTelemetry spans (GenAI conventions), Prometheus metrics, plugins.

export type { MetricsOptions } from './telemetry/metrics/metrics-options.js';
export type { MetricsRegistry } from './telemetry/metrics/metrics-registry.js';
export type {
  BeforeQueryContext,
  BeforeQueryDecision,
  PluginErrorEvent,
  PluginHookName,
  PluginQueryInfo,
  PluginRetryInfo,
  PluginTaskEnd,
  PluginTaskStart,
  RuntimePlugin,
} from './telemetry/plugins/runtime-plugin.js';
export type { TelemetryOptions } from './telemetry/telemetry-options.js';
export { GenAiAttributes } from './telemetry/tracing/gen-ai-attributes.js';
export { traceEnv } from './telemetry/tracing/trace-env.js';

// Runtime: the supervised root of queries, sessions, the shared actors and the pool.

export { createRuntime, type Runtime } from './runtime/create-runtime.js';
export type { RuntimeOptions } from './runtime/runtime-options.js';
export type {
  RunningQuery,
  RuntimeQueryHandle,
  RuntimeQueryOptions,
} from './runtime/runtime-query-types.js';
export type { RuntimeSnapshot } from './runtime/runtime-snapshot.js';
export { type SupervisionNode, supervisionTree } from './runtime/supervision-tree.js';

// Orchestration: patterns over a runtime, task plans, the task queue, the planner, run reports.

// Distributed: admission: one rate-limit pause, budget and concurrency cap for every worker of
// a BullMQ queue, and the operations on the queue (metrics, cancel, clean, dead letters).
export {
  type DeadLetter,
  deadLetterQueueName,
  listDeadLetters,
  purgeDeadLetters,
  requeueDeadLetter,
} from './distributed/dead-letter.js';
export {
  type CancelRunReport,
  type CleanReport,
  cancelRun,
  cleanQueue,
  type QueueMetrics,
  queueMetrics,
  setGlobalConcurrency,
} from './distributed/queue-operations.js';
export type { QueueTarget } from './distributed/queue-operations-target.js';
export { createRedisAdmission, type RedisAdmission } from './distributed/redis-admission.js';
export type {
  AdmissionConnection,
  RedisAdmissionOptions,
} from './distributed/redis-admission-options.js';
export type { SharedBudgetState } from './distributed/shared-budget.js';
export type { SharedPauseState } from './distributed/shared-pause.js';
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
export {
  type RetriedResult,
  type RetryAttempt,
  type WithRetryOptions,
  withRetry,
} from './orchestration/patterns/with-retry.js';
export { loadPlan } from './orchestration/plan/load-plan.js';
export { type ParsePlanOptions, parsePlan } from './orchestration/plan/parse-plan.js';
export { planJsonSchema } from './orchestration/plan/plan-json-schema.js';
export type {
  Plan,
  PlanInput,
  PlanQueryOptions,
  PlanTask,
} from './orchestration/plan/plan-schema.js';
export {
  type PlannedRun,
  type PlannerOptions,
  planFromRequirements,
} from './orchestration/planner/plan-from-requirements.js';
export type {
  RunStatus,
  RunSummary,
  TaskRow,
  TaskStatus,
} from './orchestration/report/run-summary.js';
export { type WrittenReport, writeRunReport } from './orchestration/report/write-run-report.js';
export type { PlanChanges } from './orchestration/task-queue/plan-changes.js';
export { runTaskQueue, type TaskQueueRun } from './orchestration/task-queue/run-task-queue.js';
export type {
  TaskProgressEvent,
  TaskProgressEventType,
} from './orchestration/task-queue/task-progress-event.js';
export type {
  BackendQueryHandle,
  BackendTaskRun,
  TaskQueueBackend,
} from './orchestration/task-queue/task-queue-backend.js';
export {
  DEFAULT_CONTINUATION_PROMPT,
  type TaskQueueOptions,
} from './orchestration/task-queue/task-queue-options.js';
export type { TaskQueueRuntime } from './orchestration/task-queue/task-scheduler.js';

// Distributed: task queue runs dispatched through Redis (BullMQ) to workers on any machine.
// `bullmq` is loaded only when a backend or worker is first used.

export { type BullmqBackend, bullmqBackend } from './distributed/bullmq-backend.js';
export type { BullmqBackendOptions } from './distributed/bullmq-backend-options.js';
export { createWorker, type DistributedWorker } from './distributed/create-worker.js';
export type { DistributedErrorCode } from './distributed/errors/distributed-error-code.js';
export {
  DEFAULT_QUEUE_NAME,
  type DistributedJobData,
  type DistributedJobProgress,
} from './distributed/job/distributed-job.js';
export type {
  DistributedJobResult,
  SerializedError,
} from './distributed/job/distributed-job-result.js';
export { jobIdOf } from './distributed/job/job-id.js';
export {
  type JobQueryOptionsResult,
  jobQueryOptions,
} from './distributed/job/job-query-options.js';
export type { RedisConnection } from './distributed/redis-connection.js';
export type {
  AdmissionTicket,
  AdmittedJob,
  WorkerAdmission,
} from './distributed/worker-admission.js';
export type { WorkerJobEvent } from './distributed/worker-job-event.js';
export type { WorkerOptions } from './distributed/worker-options.js';

// Inspection: the XState inspector served on loopback, and an in-process recorder.

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

// Dashboard: a live page of a runtime and its runs, served on loopback, updated over SSE.

export type { DashboardHost, DashboardOptions } from './dashboard/dashboard-options.js';
export type { DashboardRuntime, MetricsRegistryLike } from './dashboard/dashboard-runtime.js';
export type {
  DashboardError,
  DashboardRun,
  DashboardSnapshot,
  DashboardSystem,
  DashboardTask,
  DashboardText,
  DashboardUpdate,
} from './dashboard/dashboard-view.js';
export { type Dashboard, serveDashboard } from './dashboard/serve-dashboard.js';
export type { DashboardQuerySource } from './dashboard/watch-query.js';
export type { DashboardPlan, DashboardRunSource } from './dashboard/watch-run.js';

// Processes: the CLI-process actor, the warm pool, the registry that proves no CLI outlived
// its owner, and the durable one that reaps what a host killed with its watchdog left.

export { fromCliProcess } from './actors/cli-process-actor.js';
export type {
  ClaudeProcessDependencies,
  CliProcessCommand,
  CliProcessEvent,
  CliProcessInput,
  CliSpawnOptions,
  CliStdinMode,
  HostEnv,
} from './actors/cli-process-types.js';

export type { ProcessPoolOptions } from './process/pool/pool-options.js';
export { ProcessPool, type ProcessPoolStats } from './process/pool/process-pool.js';
export { liveProcesses, waitForNoLiveProcesses } from './process/registry/process-registry.js';
export type { ProcessRegistryOption } from './process/registry/process-registry-option.js';
export { PROCESS_MARKER_VAR } from './process/registry/process-tree.js';
export {
  type ReapedProcess,
  type ReapOrphansOptions,
  type ReapReport,
  reapOrphans,
} from './process/registry/reap-orphans.js';
export { defaultProcessRecordDir } from './store/processes/default-process-record-dir.js';
export {
  createFileProcessRecordStore,
  type FileProcessRecordStoreOptions,
} from './store/processes/file-process-record-store.js';
export { createMemoryProcessRecordStore } from './store/processes/memory-process-record-store.js';
export type { ProcessRecord } from './store/processes/process-record.js';
export type { ProcessRecordStore } from './store/processes/process-record-store.js';
