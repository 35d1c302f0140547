import type { TaskJournalEvent, TaskSnapshot } from './task-record.js';

/** One task transition of a batch written by {@link RunJournal.recordTasks}. */
export interface TaskWrite {
  readonly taskId: string;
  readonly event: TaskJournalEvent;
  /** The task's whole state after `event` (its row is replaced by it). */
  readonly snapshot: TaskSnapshot;
  /** When the transition happened, ms. */
  readonly at: number;
}

/**
 * How an error names the transitions it could not write: ``record task `a` of run `r` (queued)``.
 * @internal
 */
export function describeTaskWrites(runId: string, writes: readonly TaskWrite[]): string {
  if (writes.length === 1) {
    const [write] = writes as [TaskWrite];
    return `record task \`${write.taskId}\` of run \`${runId}\` (${write.event})`;
  }
  const shown = writes.slice(0, 5).map((write) => `\`${write.taskId}\` (${write.event})`);
  const more = writes.length > 5 ? ` and ${writes.length - 5} more` : '';
  return `record tasks ${shown.join(', ')}${more} of run \`${runId}\``;
}
