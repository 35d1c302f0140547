import { ReplaySubject } from 'rxjs';
import type { QueryResult } from '../../machines/query/query-types.js';
import type { BackendTaskRun } from '../../orchestration/task-queue/task-queue-backend.js';
import type { CliMessage } from '../../protocol/cli-message.js';
import { type DistributedJobData, DistributedJobProgressSchema } from '../job/distributed-job.js';

/**
 * One task run the backend follows: its job, what the scheduler sees of it (messages, the
 * result once settled) and the state of following it.
 * @internal
 */
export interface BackendEntry {
  readonly jobId: string;
  readonly queryId: string;
  readonly data: DistributedJobData;
  readonly messages: ReplaySubject<CliMessage>;
  readonly settle: (result: QueryResult) => void;
  settled: boolean;
  /** The job is in Redis (added, or found there). */
  dispatched: boolean;
  sessionId: string | undefined;
  /** Times the job vanished from Redis. */
  lost: number;
  unreachableSince: number | undefined;
  cancelling: { reason: unknown; timer: NodeJS.Timeout } | undefined;
  /** A check of the job is under way (the poller skips it). */
  checking: boolean;
}

/**
 * A new entry for `run`'s job `jobId`, and the promise its `settle` resolves.
 * @internal
 */
export function createBackendEntry(
  jobId: string,
  run: BackendTaskRun,
  data: DistributedJobData,
): { readonly entry: BackendEntry; readonly result: Promise<QueryResult> } {
  let settle!: (result: QueryResult) => void;
  const result = new Promise<QueryResult>((resolve) => {
    settle = resolve;
  });
  const entry: BackendEntry = {
    jobId,
    queryId: run.queryId,
    data,
    messages: new ReplaySubject<CliMessage>(),
    settle,
    settled: false,
    dispatched: false,
    sessionId: run.resumeSession,
    lost: 0,
    unreachableSince: undefined,
    cancelling: undefined,
    checking: false,
  };
  return { entry, result };
}

/**
 * Records the session the worker's CLI opened, once, as the `system/init` message the
 * scheduler journals.
 * @internal
 */
export function noteEntrySession(entry: BackendEntry, sessionId: string): void {
  if (sessionId === entry.sessionId) return;
  entry.sessionId = sessionId;
  entry.messages.next({ type: 'system', subtype: 'init', session_id: sessionId } as CliMessage);
}

/**
 * Reads a job's progress (what the worker reports) for the session it opened.
 * @internal
 */
export function noteEntryProgress(entry: BackendEntry, data: unknown): void {
  const parsed = DistributedJobProgressSchema.safeParse(data);
  if (parsed.success && parsed.data.sessionId !== undefined) {
    noteEntrySession(entry, parsed.data.sessionId);
  }
}
