/**
 * claude-actors: Claude Code queries as XState actors over the real CLI.
 *
 * @packageDocumentation
 */
export { claudeProcessEnv } from './actors/claude-process-env.js';
export {
  createQueryActor,
  type QueryActor,
  type QueryActorOptions,
} from './actors/create-query-actor.js';
export {
  type ClaudeProcessDependencies,
  fromClaudeProcess,
} from './actors/from-claude-process.js';
export { type QueryChildSpecOptions, queryChildSpec } from './actors/query-child-spec.js';
export { type QueryHandle, type RunQueryOptions, runQuery } from './actors/run-query.js';
export { spawnOptionsFor } from './actors/spawn-options-for.js';
export { classifyApiRetry } from './errors/classify-api-retry.js';
export { classifyExit, type ExitFacts } from './errors/classify-exit.js';
export { classifyResult } from './errors/classify-result.js';
export {
  ApiError,
  CancelledError,
  ClaudeActorsError,
  type ErrorCode,
  type ErrorContext,
  ExecutableNotFoundError,
  InvalidOptionsError,
  isClaudeActorsError,
  isTransientStatus,
  type OptionIssue,
  ProcessExitedError,
  QueryFailedError,
  SpawnFailedError,
  TimeoutError,
  type TimeoutKind,
} from './errors/index.js';
export * from './inspection/index.js';
export { createLogger, type Logger, redactSecrets } from './logging/index.js';
export { queryMachine } from './machines/query-machine.js';
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
} from './machines/query-types.js';
export * from './options/index.js';
export * from './orchestration/patterns/index.js';
export * from './orchestration/plan/index.js';
export * from './orchestration/planner/index.js';
export * from './orchestration/report/index.js';
export * from './orchestration/task-queue/index.js';
export * from './orchestration/worktree/index.js';
export * from './pool/index.js';
export * from './protocol/index.js';
export * from './resilience/index.js';
export { computeBackoff } from './retry/compute-backoff.js';
export { retryDelay } from './retry/retry-delay.js';
export type { RetryPolicy } from './retry/retry-policy.js';
export * from './runtime/index.js';
export * from './sessions/index.js';
export * from './streams/index.js';
export * from './supervisors/index.js';
export {
  buildEnv,
  EXECUTABLE_ENV_VAR,
  liveProcesses,
  PROCESS_MARKER_VAR,
  resolveExecutable,
  waitForNoLiveProcesses,
} from './transport/index.js';
