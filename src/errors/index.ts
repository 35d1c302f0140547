export { ApiError, isTransientStatus } from './api-error.js';
export { CancelledError } from './cancelled-error.js';
export {
  ClaudeActorsError,
  type ErrorCode,
  type ErrorContext,
  isClaudeActorsError,
} from './claude-actors-error.js';
export { ExecutableNotFoundError } from './executable-not-found-error.js';
export { type ChildSpecErrorReason, InvalidChildSpecError } from './invalid-child-spec-error.js';
export { InvalidOptionsError, type OptionIssue } from './invalid-options-error.js';
export { isMissingCredentials, MissingCredentialsError } from './missing-credentials-error.js';
export { ProcessExitedError } from './process-exited-error.js';
export { QueryFailedError } from './query-failed-error.js';
export { SpawnFailedError } from './spawn-failed-error.js';
export { StructuredOutputError, type StructuredOutputIssue } from './structured-output-error.js';
export { SupervisorStartError } from './supervisor-start-error.js';
export { TimeoutError, type TimeoutKind } from './timeout-error.js';
export { validateStructuredOutput } from './validate-structured-output.js';
