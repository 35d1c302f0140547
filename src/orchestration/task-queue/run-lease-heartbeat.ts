import type { Logger } from '../../core/logging/create-logger.js';
import type { RunJournal } from '../../store/runs/run-journal.js';
import type { RunLease } from '../../store/runs/run-lease.js';
import { RunOwnedError } from './errors/run-owned-error.js';
import { ownedMessage } from './owned-message.js';

/** What {@link runLeaseHeartbeat} is told. @internal */
export interface RunLeaseHeartbeatInput {
  readonly journal: RunJournal;
  readonly lease: RunLease;
  /** Wall-clock ms since the epoch. */
  readonly now: () => number;
  readonly renewMs: number;
  readonly expireMs: number;
  /** The run was taken over by another host (it found this one's lease expired). */
  readonly onLost: (error: RunOwnedError) => void;
  readonly log?: Logger | undefined;
}

/** A run's lease being renewed. @internal */
export interface RunLeaseHeartbeat {
  /** Set once the run was taken over: nothing more may be written for it. */
  readonly lost: RunOwnedError | undefined;
  /** Stops renewing and gives the run up (a lost lease is left to its new owner). Idempotent. */
  release(): Promise<void>;
}

/**
 * Renews `lease` every `renewMs` (an unref'd timer: it never keeps the process alive) until
 * released. A renewal that finds another token took the run reports it once to `onLost` and
 * stops; a renewal that fails (the store is busy or gone) is logged and tried again at the
 * next tick, while the lease may still hold.
 * @internal
 */
export function runLeaseHeartbeat(input: RunLeaseHeartbeatInput): RunLeaseHeartbeat {
  const { journal, lease } = input;
  let lost: RunOwnedError | undefined;
  let renewing: Promise<void> = Promise.resolve();
  let busy = false;
  let stopped = false;
  const renew = async (): Promise<void> => {
    const at = input.now();
    try {
      if (await journal.renewLease(lease.runId, lease.token, at, at + input.expireMs)) return;
      if (stopped) return;
      clearInterval(timer);
      const now = await journal.getLease(lease.runId);
      lost = new RunOwnedError(
        now
          ? `This host lost run \`${lease.runId}\`: ${ownedMessage(now, 'fresh', input.now())}`
          : `This host lost run \`${lease.runId}\`: its lease was released by another host.`,
        now ?? lease,
      );
      input.log?.error(
        { runId: lease.runId, owner: now?.owner },
        'the run was taken over: stopping',
      );
      input.onLost(lost);
    } catch (error) {
      input.log?.warn({ error, runId: lease.runId }, 'renewing the run lease failed');
    }
  };
  const timer = setInterval(() => {
    // A renewal that has not returned yet (a store past its busy timeout) is not stacked up.
    if (busy) return;
    busy = true;
    renewing = renew().finally(() => {
      busy = false;
    });
  }, input.renewMs);
  timer.unref?.();
  return {
    get lost() {
      return lost;
    },
    async release() {
      if (stopped) return;
      stopped = true;
      clearInterval(timer);
      await renewing;
      if (lost) return;
      try {
        await journal.releaseLease(lease.runId, lease.token);
      } catch (error) {
        input.log?.warn({ error, runId: lease.runId }, 'releasing the run lease failed');
      }
    },
  };
}
