import { StoreError } from '../../../src/store/errors/store-error.js';
import type { RunJournal } from '../../../src/store/runs/run-journal.js';
import type { NewRunLease, RunLeaseClaim } from '../../../src/store/runs/run-lease.js';
import type { RunStart } from '../../../src/store/runs/run-record.js';
import { describeTaskWrites } from '../../../src/store/runs/task-write.js';
import type { Store } from '../../../src/store/store.js';

/**
 * `store` as a host that can die: after `kill()`, no journal call reaches the store any more
 * (each stays pending forever), as if the process had been killed with SIGKILL there. Its run
 * lease names this process with another start time (as a pid now reused), so a resume in this
 * same process finds the owner dead and takes the run over.
 */
export function killableStore(store: Store): { store: Store; kill: () => void } {
  let dead = false;
  const runs = new Proxy(store.runs, {
    get(target, name: keyof RunJournal) {
      const method = target[name] as (...args: unknown[]) => Promise<unknown>;
      if (name === 'claimLease') {
        return (claim: RunLeaseClaim) =>
          dead
            ? new Promise(() => {})
            : target.claimLease({
                ...claim,
                owner: { ...claim.owner, startTime: (claim.owner.startTime ?? 0) + 1 },
              });
      }
      if (name === 'createRun') {
        // A new run is created held: by the same stand-in for a process that will be dead.
        return (start: RunStart, lease?: NewRunLease) =>
          dead
            ? new Promise(() => {})
            : target.createRun(
                start,
                lease && {
                  ...lease,
                  owner: { ...lease.owner, startTime: (lease.owner.startTime ?? 0) + 1 },
                },
              );
      }
      return (...args: unknown[]) => (dead ? new Promise(() => {}) : method.apply(target, args));
    },
  });
  return {
    store: { ...store, runs },
    kill: () => {
      dead = true;
    },
  };
}

/**
 * `store` whose journal refuses a task write when `refuse(taskId, event)` says so, as a
 * journal does: a batch with a refused write is written not at all, with an error naming it.
 */
export function failingStore(
  store: Store,
  refuse: (taskId: string, event: string) => boolean,
): Store {
  const runs: RunJournal = {
    ...store.runs,
    recordTask: async (runId, taskId, event, snapshot, at, leaseToken) => {
      if (refuse(taskId, event)) throw new Error('disk I/O error');
      return store.runs.recordTask(runId, taskId, event, snapshot, at, leaseToken);
    },
    recordTasks: async (runId, writes, leaseToken) => {
      const refused = writes.find((write) => refuse(write.taskId, write.event));
      if (refused) {
        throw new StoreError(
          'STORE_FAILED',
          `The run journal could not ${describeTaskWrites(runId, [refused])}: disk I/O error`,
        );
      }
      return store.runs.recordTasks(runId, writes, leaseToken);
    },
  };
  return { ...store, runs };
}
