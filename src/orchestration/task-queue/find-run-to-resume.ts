import type { RunJournal } from '../../store/runs/run-journal.js';
import type { RunRecord } from '../../store/runs/run-record.js';

/**
 * The journalled run a resume continues: run `runId` when given, else the latest run of
 * `planKey` unless it succeeded; `undefined` when there is none (a resume starts a new run).
 * @internal
 */
export async function findRunToResume(
  journal: RunJournal,
  planKey: string,
  runId: string | undefined,
): Promise<RunRecord | undefined> {
  if (runId !== undefined) return journal.getRun(runId);
  const [latest] = await journal.listRuns({ planKey });
  return latest && latest.status !== 'succeeded' ? latest : undefined;
}
