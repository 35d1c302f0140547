import type { ErrorCode } from '../../../errors/claude-actors-error.js';

/**
 * Codes of the errors raised by plans, the task queue and worktrees. They are not yet members
 * of {@link ErrorCode}; until they are, each error class casts its code (see
 * {@link asOrchestrationErrorCode}).
 */
export type OrchestrationErrorCode =
  | 'INVALID_PLAN'
  | 'INVALID_PLAN_GRAPH'
  | 'WORKER_CRASHED'
  | 'WORKTREE_FAILED';

/**
 * An orchestration code typed as an {@link ErrorCode}.
 * @internal The double cast goes once the codes join the `ErrorCode` union.
 */
export function asOrchestrationErrorCode(code: OrchestrationErrorCode): ErrorCode {
  return code as string as ErrorCode;
}
