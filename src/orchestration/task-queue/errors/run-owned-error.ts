import { ClaudeActorsError } from '../../../core/errors/claude-actors-error.js';
import type { RunLease, RunOwner } from '../../../store/runs/run-lease.js';
import type { OrchestrationErrorCode } from '../../orchestration-error-code.js';

/**
 * Another host holds the journalled run: its owner process is alive (same machine and boot,
 * its pid running with the same start time), or its lease is fresh (another machine sharing
 * the store renewed it lately). Raised when a resume is refused (nothing ran, nothing in the
 * journal changed) and when a running host finds its run taken over (it stops: no task runs
 * twice). A dead owner's run is taken over at once, a silent one's when its lease expires.
 * Not retryable as it is: wait for the owner to end, or stop it.
 */
export class RunOwnedError extends ClaudeActorsError {
  /** Always `RUN_OWNED`. */
  readonly code = 'RUN_OWNED' satisfies OrchestrationErrorCode;
  readonly runId: string;
  /** The host holding the run. */
  readonly owner: RunOwner;
  /** Since when it holds it (ms since the epoch). */
  readonly since: number;
  /** Its last heartbeat (ms since the epoch). */
  readonly renewedAt: number;
  /** When its lease lapses unless renewed (ms since the epoch). */
  readonly expiresAt: number;

  /**
   * @param message - Who holds the run, since when, and what to do.
   * @param lease - The lease of the host holding the run.
   */
  constructor(message: string, lease: RunLease) {
    super(message, { retryable: false, pid: lease.owner.pid });
    this.runId = lease.runId;
    this.owner = lease.owner;
    this.since = lease.acquiredAt;
    this.renewedAt = lease.renewedAt;
    this.expiresAt = lease.expiresAt;
  }
}
