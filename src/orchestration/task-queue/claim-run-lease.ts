import { randomUUID } from 'node:crypto';
import type { Logger } from '../../core/logging/create-logger.js';
import { StoreError } from '../../store/errors/store-error.js';
import type { RunJournal } from '../../store/runs/run-journal.js';
import type { RunLease, RunOwner } from '../../store/runs/run-lease.js';
import { RunOwnedError } from './errors/run-owned-error.js';
import { judgeRunLease } from './judge-run-lease.js';
import { ownedMessage } from './owned-message.js';

/** What {@link claimRunLease} is told. @internal */
export interface ClaimRunLeaseInput {
  readonly journal: RunJournal;
  readonly runId: string;
  /** This host. */
  readonly owner: RunOwner;
  /** Wall-clock ms since the epoch. */
  readonly now: () => number;
  /** How long the lease holds without a renewal, ms. */
  readonly expireMs: number;
  readonly log?: Logger | undefined;
}

// A lost compare-and-set means another host changed the lease between our read and our write:
// the next read sees that host, which is alive and fresh, so a second round settles it.
const ROUNDS = 3;

/**
 * Takes run `runId` for this host: a run nobody holds is claimed; a run whose owner is dead
 * (its pid gone or reused, an earlier boot) or whose lease expired is taken over (logged);
 * the take-over is a compare-and-set on the lease it read, so of hosts racing for it one wins.
 *
 * @throws {@link RunOwnedError} when the owner is alive or its lease fresh, or when another
 *   host won the race.
 * @throws {@link StoreError} `STORE_FAILED` when the journal fails, or the lease kept changing.
 * @internal
 */
export async function claimRunLease(input: ClaimRunLeaseInput): Promise<RunLease> {
  const { journal, runId, owner } = input;
  let current = await journal.getLease(runId);
  for (let round = 0; round < ROUNDS; round += 1) {
    const at = input.now();
    if (current) {
      const verdict = judgeRunLease(current, owner, at);
      if (verdict.holds) throw new RunOwnedError(ownedMessage(current, verdict.why, at), current);
      input.log?.warn(
        {
          previousOwner: current.owner,
          since: new Date(current.acquiredAt).toISOString(),
          renewedAt: new Date(current.renewedAt).toISOString(),
          why: verdict.why,
        },
        `taking over run ${runId}: its owner, pid ${current.owner.pid} on ${current.owner.hostname}, ` +
          (verdict.why === 'expired' ? 'let its lease expire' : 'is gone'),
      );
    }
    const claimed = await journal.claimLease({
      runId,
      token: randomUUID(),
      owner,
      at,
      expiresAt: at + input.expireMs,
      expected: current?.token,
    });
    if (claimed) return claimed;
    current = await journal.getLease(runId);
  }
  // Still changing after every round: whoever holds it now won; a lease taken and released
  // in turn each round by others is left to them too.
  if (current) throw new RunOwnedError(ownedMessage(current, 'fresh', input.now()), current);
  throw new StoreError(
    'STORE_FAILED',
    `Run \`${runId}\` changed hands ${ROUNDS} times while this host tried to take it: resume again.`,
  );
}
