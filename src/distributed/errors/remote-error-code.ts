import type { CoreErrorCode } from '../../core/errors/claude-actors-error.js';
import type { QueryErrorCode } from '../../machines/query/errors/query-error-code.js';
import type { SessionErrorCode } from '../../machines/session/errors/session-error-code.js';
import type { OrchestrationErrorCode } from '../../orchestration/orchestration-error-code.js';
import type { ProcessErrorCode } from '../../process/errors/process-error-code.js';
import type { ResilienceErrorCode } from '../../resilience/errors/resilience-error-code.js';
import type { StoreErrorCode } from '../../store/errors/store-error-code.js';
import type { SupervisorErrorCode } from '../../supervisors/errors/supervisor-error-code.js';
import type { TelemetryErrorCode } from '../../telemetry/errors/telemetry-error-code.js';
import type { DistributedErrorCode } from './distributed-error-code.js';

/**
 * The codes an error coming back from a worker may carry: those of every domain a worker's
 * query goes through (the same as `ErrorCode`, declared here so that the distributed layer
 * needs nothing above it).
 */
export type RemoteErrorCode =
  | CoreErrorCode
  | StoreErrorCode
  | ProcessErrorCode
  | SupervisorErrorCode
  | QueryErrorCode
  | SessionErrorCode
  | ResilienceErrorCode
  | TelemetryErrorCode
  | OrchestrationErrorCode
  | DistributedErrorCode;
