import type { Job } from 'bullmq';
import { cancelChannelOf } from '../job/cancel-channel.js';
import { withDeadline } from '../with-deadline.js';
import type { BackendConnection } from './backend-connection.js';

/** What {@link cancelBackendJob} did. @internal */
export type CancelOutcome =
  /** The job is not in Redis (any more): nothing runs it. */
  | 'gone'
  /** It had not started and was removed. */
  | 'removed'
  /** It is running (or finishing): its worker was asked, on the cancel channel, to stop it. */
  | 'asked';

/** Where the job is, and how long each Redis command may take. @internal */
export interface CancelTarget {
  readonly jobId: string;
  readonly prefix: string;
  readonly queueName: string;
  readonly commandTimeoutMs: number;
}

/**
 * The Redis side of cancelling a dispatched job: removes it when it has not started, else
 * publishes `{ jobId, reason }` on the cancel channel `createWorker` listens to. Every command
 * is bounded by `commandTimeoutMs`.
 *
 * @throws Error when Redis does not answer in time.
 * @internal
 */
export async function cancelBackendJob(
  parts: BackendConnection,
  target: CancelTarget,
  reason: unknown,
): Promise<CancelOutcome> {
  const { queue, client } = parts;
  const { jobId, commandTimeoutMs } = target;
  const job = (await withDeadline(queue.getJob(jobId), commandTimeoutMs, 'reading a job')) as
    | Job
    | undefined;
  if (!job) return 'gone';
  const state = await withDeadline(job.getState(), commandTimeoutMs, 'reading a job state');
  if (state !== 'active' && state !== 'completed' && state !== 'failed') {
    const removed = await withDeadline(queue.remove(jobId), commandTimeoutMs, 'removing a job')
      .then((n) => Number(n) > 0)
      .catch(() => false);
    if (removed) return 'removed';
  }
  await withDeadline(
    client.publish(
      cancelChannelOf(target.prefix, target.queueName),
      JSON.stringify({ jobId, reason: reason instanceof Error ? reason.message : String(reason) }),
    ),
    commandTimeoutMs,
    'publishing a cancel',
  );
  return 'asked';
}
