import type { RunLease } from '../../store/runs/run-lease.js';

/** Who holds the run, since when, and what to do. @internal */
export function ownedMessage(lease: RunLease, why: 'alive' | 'fresh', now: number): string {
  const { owner } = lease;
  const ago = (at: number): string => `${Math.max(0, Math.round((now - at) / 1000))} s ago`;
  const state =
    why === 'alive'
      ? 'that process is still running'
      : `its lease was renewed ${ago(lease.renewedAt)} and holds until ` +
        `${new Date(lease.expiresAt).toISOString()}`;
  return (
    `Run \`${lease.runId}\` is owned by pid ${owner.pid} on ${owner.hostname} since ` +
    `${new Date(lease.acquiredAt).toISOString()} (${ago(lease.acquiredAt)}): ${state}. ` +
    'Wait for it to end or stop that process, then resume again (a run whose owner died is ' +
    'taken over at once; one on another machine once its lease expires).'
  );
}
