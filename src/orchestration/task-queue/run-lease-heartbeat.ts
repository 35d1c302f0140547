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
  /**
   * The run is no longer this host's: taken over by another host, or its lease could not be
   * renewed in time (another host may take it over). Called once, before the heartbeat stops.
   */
  readonly onLost: (error: RunOwnedError) => void;
  readonly log?: Logger | undefined;
}

/** A run's lease being renewed. @internal */
export interface RunLeaseHeartbeat {
  /** Set once the run was lost: nothing more may be written for it. */
  readonly lost: RunOwnedError | undefined;
  /** Settles when the renewal in flight (and the read of a new owner) has. */
  settled(): Promise<void>;
  /** Stops renewing and gives the run up (a lost lease is left to its new owner). Idempotent. */
  release(): Promise<void>;
}

/**
 * Renews `lease` every `renewMs` (an unref'd timer: it never keeps the process alive) until
 * released. A renewal that finds another token holds the run ends the lease: `lost` is set and
 * `onLost` told once. A renewal that fails (the store is busy or gone) is logged and tried
 * again at the next tick, but only while the lease surely holds: once the last confirmed
 * expiry is less than one `renewMs` away, this host gives the run up as lost, before another
 * host may take it over.
 * @internal
 */
export function runLeaseHeartbeat(input: RunLeaseHeartbeatInput): RunLeaseHeartbeat {
  const { journal, lease } = input;
  let lost: RunOwnedError | undefined;
  let renewing: Promise<void> = Promise.resolve();
  let busy = false;
  let stopped = false;
  // Until when the lease is known to hold: the expiry of the last renewal that committed.
  let confirmedUntil = lease.expiresAt;

  const lose = (error: RunOwnedError, owner: RunLease['owner'] | undefined): void => {
    if (lost || stopped) return;
    lost = error;
    clearInterval(timer);
    input.log?.error({ runId: lease.runId, owner }, 'the run lease was lost: stopping');
    input.onLost(error);
  };
  const lapsing = (at: number): boolean => at >= confirmedUntil - input.renewMs;
  const loseUnrenewed = (): void => {
    const until = new Date(confirmedUntil).toISOString();
    lose(
      new RunOwnedError(
        `This host lost run \`${lease.runId}\`: its lease could not be renewed and lapses at ` +
          `${until} (another host may take the run over then). Check the store, then resume.`,
        { ...lease, expiresAt: confirmedUntil },
      ),
      undefined,
    );
  };

  const renew = async (): Promise<void> => {
    const at = input.now();
    let renewed: boolean;
    try {
      renewed = await journal.renewLease(lease.runId, lease.token, at, at + input.expireMs);
    } catch (error) {
      input.log?.warn({ error, runId: lease.runId }, 'renewing the run lease failed');
      if (lapsing(input.now())) loseUnrenewed();
      return;
    }
    if (renewed) {
      confirmedUntil = Math.max(confirmedUntil, at + input.expireMs);
      return;
    }
    if (stopped) return;
    // Not ours any more, whoever holds it now: lost at once, the new owner read only to say who.
    lose(
      new RunOwnedError(
        `This host lost run \`${lease.runId}\`: another host took it over or released it.`,
        lease,
      ),
      undefined,
    );
    try {
      const owner = await journal.getLease(lease.runId);
      if (owner && lost) {
        lost = new RunOwnedError(
          `This host lost run \`${lease.runId}\`: ${ownedMessage(owner, 'fresh', input.now())}`,
          owner,
        );
      }
    } catch (error) {
      input.log?.warn({ error, runId: lease.runId }, 'reading the new owner of the run failed');
    }
  };
  const timer = setInterval(() => {
    // A renewal that has not returned yet (a store past its busy timeout) is not stacked up,
    // but it does not hold the lease either.
    if (busy) {
      if (lapsing(input.now())) loseUnrenewed();
      return;
    }
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
    settled: () => renewing,
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
