import type { CoreErrorCode } from './core/errors/claude-actors-error.js';
import type { DistributedErrorCode } from './distributed/errors/distributed-error-code.js';
import type { QueryErrorCode } from './machines/query/errors/query-error-code.js';
import type { SessionErrorCode } from './machines/session/errors/session-error-code.js';
import type { OrchestrationErrorCode } from './orchestration/orchestration-error-code.js';
import type { ProcessErrorCode } from './process/errors/process-error-code.js';
import type { ResilienceErrorCode } from './resilience/errors/resilience-error-code.js';
import type { StoreErrorCode } from './store/errors/store-error-code.js';
import type { SupervisorErrorCode } from './supervisors/errors/supervisor-error-code.js';
import type { TelemetryErrorCode } from './telemetry/errors/telemetry-error-code.js';

/**
 * Stable machine-readable codes of every error this library raises (`error.code`): the union
 * of the codes each domain declares next to its errors.
 */
export type ErrorCode =
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
