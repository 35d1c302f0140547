import { CancelledError } from '../../core/errors/cancelled-error.js';
import { safeValidate } from '../../core/validation/validate.js';
import type { QueryResult } from '../../machines/query/query-types.js';
import { DistributedError } from '../errors/distributed-error.js';
import { DistributedJobResultSchema, fromJobResult } from '../job/distributed-job-result.js';
import { emptyResult } from '../job/empty-result.js';
import { type BackendEntry, noteEntrySession } from './backend-entry.js';

/**
 * The failed result of `entry` with `error`.
 * @internal
 */
export function failedEntryResult(entry: BackendEntry, error: Error): QueryResult {
  return emptyResult(entry.queryId, entry.sessionId, 'failed', error);
}

/**
 * `result` (an empty one when absent) as cancelled, with the reason the entry was cancelled.
 * @internal
 */
export function cancelledEntryResult(entry: BackendEntry, result?: QueryResult): QueryResult {
  return {
    ...(result ?? emptyResult(entry.queryId, entry.sessionId, 'cancelled')),
    status: 'cancelled',
    error: new CancelledError(entry.cancelling?.reason, { queryId: entry.queryId }),
  };
}

/**
 * The task result a job returned (a JSON string or a value), or a failed result with
 * `INVALID_JOB` when it is not one. A cancelled entry that did not succeed is cancelled.
 * @internal
 */
export function resultFromReturn(entry: BackendEntry, value: unknown): QueryResult {
  let parsedValue = value;
  if (typeof value === 'string') {
    try {
      parsedValue = JSON.parse(value);
    } catch {
      // Left as it is: the schema names the problem.
    }
  }
  const parsed = safeValidate(DistributedJobResultSchema, parsedValue);
  if (!parsed.success) {
    return failedEntryResult(
      entry,
      new DistributedError(
        'INVALID_JOB',
        `Job ${entry.jobId} returned a value that is not a task result (${parsed.error.issues[0]?.message ?? 'invalid'}): is its worker another version of claude-actors?`,
        { jobId: entry.jobId, queryId: entry.queryId },
      ),
    );
  }
  if (parsed.data.sessionId !== undefined) noteEntrySession(entry, parsed.data.sessionId);
  const result = fromJobResult(parsed.data, { jobId: entry.jobId, queryId: entry.queryId });
  return entry.cancelling && result.status !== 'succeeded'
    ? cancelledEntryResult(entry, result)
    : result;
}

/**
 * The result of a job that failed on its worker outside the query (`JOB_FAILED`).
 * @internal
 */
export function failedJobResult(entry: BackendEntry, reason: string | undefined): QueryResult {
  return failedEntryResult(
    entry,
    new DistributedError(
      'JOB_FAILED',
      `Job ${entry.jobId} failed on its worker outside the query: ${reason ?? 'no reason given'}`,
      { jobId: entry.jobId, queryId: entry.queryId },
    ),
  );
}

/**
 * The result of a job that vanished from Redis more often than it may be added again.
 * @internal
 */
export function lostJobResult(entry: BackendEntry, where: string): QueryResult {
  return failedEntryResult(
    entry,
    new DistributedError(
      'JOB_LOST',
      `Job ${entry.jobId} vanished from Redis (${where}) ${entry.lost} times (a restart ` +
        'without persistence?): its task is not known to have run. Enable Redis persistence ' +
        '(appendonly) or retry the task.',
      { jobId: entry.jobId, queryId: entry.queryId },
    ),
  );
}
