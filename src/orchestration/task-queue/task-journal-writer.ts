import { drainGrowingChain } from '../../core/async/drain-growing-chain.js';
import { StoreError } from '../../store/errors/store-error.js';
import type { RunJournal } from '../../store/runs/run-journal.js';
import type { TaskJournalEvent, TaskSnapshot } from '../../store/runs/task-record.js';
import { describeTaskWrites, type TaskWrite } from '../../store/runs/task-write.js';
import { RunOwnedError } from './errors/run-owned-error.js';

/** Why the writer stopped: the store failed, or the run is no longer this host's. */
type WriterFailure = StoreError | RunOwnedError;

/** Writes a run's task transitions to its journal, one after another. @internal */
export interface TaskJournalWriter {
  /**
   * Queues one transition behind the ones before it; settles once it is committed. Rejects
   * with the first failure (and so does every later write, without trying).
   */
  record(taskId: string, event: TaskJournalEvent, snapshot: TaskSnapshot): Promise<void>;
  /**
   * Settles when every write has been tried, those queued while it waits included: it waits
   * until the queue stops growing, so a write recorded after the call is not left behind.
   */
  settled(): Promise<void>;
  /** The first write that failed, if one did. */
  readonly failure: WriterFailure | undefined;
}

interface PendingWrite extends TaskWrite {
  readonly resolve: () => void;
  readonly reject: (error: WriterFailure) => void;
}

/** The end of the current turn of the event loop: every timer, I/O callback and microtask of it. */
const endOfTurn = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

/**
 * A {@link TaskJournalWriter} for run `runId`: writes keep their order (a dependent is never
 * journalled as started before its dependency's success is committed). The transitions of one
 * turn of the event loop (a task's success, the dependents it makes ready, the workers that
 * take them) are committed together by one `recordTasks` call: one transaction, not one per
 * transition. Each `record` still settles only once its own transition is committed, so the
 * task queue's promise holds: a `started` is in the journal before its query is sent. The
 * first failure is reported once to `onFailure` (the run aborts on it) as a
 * {@link StoreError}, or as the {@link RunOwnedError} of a write refused because the run is no
 * longer this host's.
 *
 * @internal
 */
export function taskJournalWriter(
  journal: RunJournal,
  runId: string,
  now: () => number,
  onFailure: (error: WriterFailure) => void,
): TaskJournalWriter {
  let tail: Promise<void> = Promise.resolve();
  /** The batch that still takes writes: it closes when its commit starts. */
  let open: PendingWrite[] | undefined;
  let failure: WriterFailure | undefined;
  const fail = (error: unknown, what: string): WriterFailure => {
    if (failure) return failure;
    failure =
      error instanceof StoreError || error instanceof RunOwnedError
        ? error
        : new StoreError(
            'STORE_FAILED',
            `The run journal could not ${what}: ${error instanceof Error ? error.message : String(error)}`,
            { cause: error },
          );
    onFailure(failure);
    return failure;
  };
  const flush = async (batch: PendingWrite[]): Promise<void> => {
    if (open === batch) open = undefined;
    if (failure) {
      for (const write of batch) write.reject(failure);
      return;
    }
    const writes = batch.map(({ taskId, event, snapshot, at }) => ({
      taskId,
      event,
      snapshot,
      at,
    }));
    try {
      await journal.recordTasks(runId, writes);
    } catch (error) {
      const failed = fail(error, describeTaskWrites(runId, writes));
      for (const write of batch) write.reject(failed);
      return;
    }
    for (const write of batch) write.resolve();
  };
  return {
    record(taskId, event, snapshot) {
      if (failure) return Promise.reject(failure);
      return new Promise<void>((resolve, reject) => {
        if (!open) {
          const batch: PendingWrite[] = [];
          open = batch;
          // Behind the batch before it (committing, or waiting its turn): it takes the writes
          // of this turn and of every turn until the one before it is done.
          tail = tail.then(endOfTurn).then(() => flush(batch));
        }
        open.push({ taskId, event, snapshot, at: now(), resolve, reject });
      });
    },
    async settled() {
      // A write queued while we waited (a transition caused by an earlier one's commit) is
      // waited for too: loop until a wait ends with no newer write behind it.
      await drainGrowingChain(() => tail);
    },
    get failure() {
      return failure;
    },
  };
}
