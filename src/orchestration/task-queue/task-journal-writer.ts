import { StoreError } from '../../store/errors/store-error.js';
import type { RunJournal } from '../../store/runs/run-journal.js';
import type { TaskJournalEvent, TaskSnapshot } from '../../store/runs/task-record.js';

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
  readonly failure: StoreError | undefined;
}

/**
 * A {@link TaskJournalWriter} for run `runId`: writes keep their order (a dependent is never
 * journalled as started before its dependency's success is committed). The first failure is
 * reported once to `onFailure` (the run aborts on it) as a {@link StoreError}.
 *
 * @internal
 */
export function taskJournalWriter(
  journal: RunJournal,
  runId: string,
  now: () => number,
  onFailure: (error: StoreError) => void,
): TaskJournalWriter {
  let tail: Promise<void> = Promise.resolve();
  let failure: StoreError | undefined;
  const fail = (error: unknown, what: string): StoreError => {
    if (failure) return failure;
    failure =
      error instanceof StoreError
        ? error
        : new StoreError(
            'STORE_FAILED',
            `The run journal could not ${what}: ${error instanceof Error ? error.message : String(error)}`,
            { cause: error },
          );
    onFailure(failure);
    return failure;
  };
  return {
    record(taskId, event, snapshot) {
      const write = tail.then(async () => {
        if (failure) throw failure;
        try {
          await journal.recordTask(runId, taskId, event, snapshot, now());
        } catch (error) {
          throw fail(error, `record task \`${taskId}\` of run \`${runId}\` (${event})`);
        }
      });
      tail = write.catch(() => undefined);
      return write;
    },
    async settled() {
      // A write queued while we waited (a transition caused by an earlier one's commit) is
      // waited for too: loop until a wait ends with no newer write behind it.
      for (let last = tail; ; last = tail) {
        await last;
        if (last === tail) return;
      }
    },
    get failure() {
      return failure;
    },
  };
}
