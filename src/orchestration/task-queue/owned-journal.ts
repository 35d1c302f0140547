import { StoreError } from '../../store/errors/store-error.js';
import type { RunJournal } from '../../store/runs/run-journal.js';
import type { RunLease } from '../../store/runs/run-lease.js';
import { RunOwnedError } from './errors/run-owned-error.js';

/**
 * `journal` as a run held by `lease` writes to it. Its task writes and the run's end are
 * fenced: they carry the lease's token, which the store checks inside the write's transaction,
 * so a write of this host that comes after another host took the run over (between two
 * renewals of the lease) is refused whole. That refusal (`STORE_LEASE_LOST`), and every write
 * once the run is known lost (`lost()` returns the error saying so), rejects with a
 * {@link RunOwnedError}: the new owner's journal is not overwritten, and a transition that was
 * not committed never reads as committed (a `started` whose write is refused never sends its
 * query).
 * @internal
 */
export function ownedJournal(
  journal: RunJournal,
  lease: RunLease,
  lost: () => Error | undefined,
): RunJournal {
  const fenced = async <T>(write: () => Promise<T>): Promise<T> => {
    const error = lost();
    if (error) throw error;
    try {
      return await write();
    } catch (failure) {
      if (failure instanceof StoreError && failure.code === 'STORE_LEASE_LOST') {
        // The renewal may not have noticed yet: the error the heartbeat would give, if it has not,
        // naming the host that holds the run now (this host's own lease once it was released).
        const noticed = lost();
        if (noticed) throw noticed;
        const holder = await journal.getLease(lease.runId).catch(() => undefined);
        throw new RunOwnedError(
          `This host lost run \`${lease.runId}\`: another host took it over or released ` +
            "it, and the store refused this host's write.",
          holder ?? lease,
        );
      }
      throw failure;
    }
  };
  const recordTask: RunJournal['recordTask'] = (runId, taskId, event, snapshot, at) =>
    fenced(() => journal.recordTask(runId, taskId, event, snapshot, at, lease.token));
  const recordTasks: RunJournal['recordTasks'] = (runId, writes) =>
    fenced(() => journal.recordTasks(runId, writes, lease.token));
  const finishRun: RunJournal['finishRun'] = (runId, status, at) =>
    fenced(() => journal.finishRun(runId, status, at, lease.token));
  const own: Partial<Record<PropertyKey, unknown>> = { recordTask, recordTasks, finishRun };
  // A proxy, not a spread: a journal that is a class instance keeps its methods and `this`.
  return new Proxy(journal, {
    get(target, name) {
      if (Object.hasOwn(own, name)) return own[name];
      const value: unknown = Reflect.get(target, name);
      return typeof value === 'function' ? value.bind(target) : value;
    },
  });
}
