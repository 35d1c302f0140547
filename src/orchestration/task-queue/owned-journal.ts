import type { RunJournal } from '../../store/runs/run-journal.js';

/**
 * `journal` as a run writes its tasks to it: once the run is no longer this host's (`lost()`
 * returns the error saying so), its task writes are refused with that error, not written: the
 * new owner's journal is not overwritten, and a transition that was not committed never reads
 * as committed (a `started` whose write is refused never sends its query).
 * @internal
 */
export function ownedJournal(journal: RunJournal, lost: () => Error | undefined): RunJournal {
  const recordTask: RunJournal['recordTask'] = async (...args) => {
    const error = lost();
    if (error) throw error;
    return journal.recordTask(...args);
  };
  const recordTasks: RunJournal['recordTasks'] = async (...args) => {
    const error = lost();
    if (error) throw error;
    return journal.recordTasks(...args);
  };
  // A proxy, not a spread: a journal that is a class instance keeps its methods and `this`.
  return new Proxy(journal, {
    get(target, name) {
      if (name === 'recordTask') return recordTask;
      if (name === 'recordTasks') return recordTasks;
      const value: unknown = Reflect.get(target, name);
      return typeof value === 'function' ? value.bind(target) : value;
    },
  });
}
