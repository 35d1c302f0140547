import type { Job } from 'bullmq';
import { scrubbingLogger } from '../core/logging/scrubbing-logger.js';
import type { QueryOptions } from '../machines/query/options/query-options.js';
import type { QueryPrompt, QueryResult } from '../machines/query/query-types.js';
import type {
  BackendQueryHandle,
  BackendTaskRun,
  TaskQueueBackend,
} from '../orchestration/task-queue/task-queue-backend.js';
import { type BackendConnection, connectBackend } from './backend/backend-connection.js';
import {
  type BackendEntry,
  createBackendEntry,
  noteEntryProgress,
} from './backend/backend-entry.js';
import {
  cancelledEntryResult,
  failedEntryResult,
  failedJobResult,
  lostJobResult,
  resultFromReturn,
} from './backend/backend-results.js';
import { cancelBackendJob } from './backend/cancel-backend-job.js';
import { addTaskJob, taskJobData } from './backend/task-job.js';
import { type BullmqBackendOptions, parseBullmqBackendOptions } from './bullmq-backend-options.js';
import { DistributedError } from './errors/distributed-error.js';
import { emptyResult } from './job/empty-result.js';
import { jobIdOf } from './job/job-id.js';
import { describeRedis } from './redis-connection.js';
import { withDeadline } from './with-deadline.js';

/** A {@link TaskQueueBackend} on BullMQ: `runTaskQueue(runtime, plan, { backend })`. */
export interface BullmqBackend extends TaskQueueBackend {
  readonly queueName: string;
  readonly prefix: string;
  /**
   * Resolves once Redis answers (the queue and its event stream are connected).
   * @throws {@link DistributedError} `BACKEND_UNAVAILABLE` when it does not within
   *   `commandTimeoutMs`.
   */
  ready(): Promise<void>;
  /** Jobs dispatched and not settled yet. */
  pending(): number;
  /**
   * Stops following jobs and closes the connections. Tasks still pending end failed
   * (`BACKEND_UNAVAILABLE`, "the backend was closed"); their jobs stay in Redis.
   */
  close(): Promise<void>;
}

/**
 * A task queue backend that runs each task as a BullMQ job on Redis, taken by workers
 * (`createWorker`, `claude-actors worker`) on any machine. The scheduler of `runTaskQueue`
 * keeps the DAG and the journal; a task is dispatched when its dependencies succeeded, with
 * the job id `<runId>.<taskId>.<attempt>`, so dispatching it twice runs it once. Results come
 * back from the queue's events and, in case Redis lost those, a poll of each job's state.
 *
 * Nothing secret goes to Redis: a task's `apiKey` and secret-looking `env`/`headers` entries are
 * left out (workers use their own credentials); functions in the options are refused.
 *
 * A task's result never hangs: Redis unreachable for `unavailableMs` fails it with
 * `BACKEND_UNAVAILABLE`, a job lost with a restarted Redis is added again (`redispatchLost`
 * times) then fails with `JOB_LOST`; both are retryable, so a task with `retry.attempts` runs
 * again. `bullmq` is loaded on first use only.
 *
 * @throws {@link InvalidOptionsError} for invalid options.
 * @example
 * ```ts
 * const backend = bullmqBackend({ connection: 'redis://127.0.0.1:6379' });
 * const run = runTaskQueue(runtime, plan, { backend, store: openSqliteStore('out/store.db') });
 * await run.result;
 * await backend.close();
 * ```
 */
export function bullmqBackend(input: BullmqBackendOptions): BullmqBackend {
  const options = parseBullmqBackendOptions(input);
  const { queueName, prefix, commandTimeoutMs } = options;
  const where = describeRedis(options.connection);
  const log =
    options.logger &&
    scrubbingLogger(options.logger).child({ component: 'bullmq-backend', queue: queueName });
  const entries = new Map<string, BackendEntry[]>();
  let parts: Promise<BackendConnection> | undefined;
  let poller: NodeJS.Timeout | undefined;
  let closed = false;

  const unavailable = (jobId: string | undefined, cause: unknown): DistributedError =>
    new DistributedError(
      'BACKEND_UNAVAILABLE',
      `Redis (${where}) did not answer${jobId ? ` for job ${jobId}` : ''}: ${
        cause instanceof Error ? cause.message : String(cause)
      }. Check that redis-server runs there and the URL is right.`,
      { jobId, cause },
    );

  const entriesOf = (jobId: string): readonly BackendEntry[] => entries.get(jobId) ?? [];
  const getParts = (): Promise<BackendConnection> => {
    parts ??= connectBackend(options, log, {
      completed: (jobId, value) => {
        for (const entry of entriesOf(jobId)) finish(entry, resultFromReturn(entry, value));
      },
      failed: (jobId, reason) => {
        for (const entry of entriesOf(jobId)) finish(entry, failedJobResult(entry, reason));
      },
      progress: (jobId, data) => {
        for (const entry of entriesOf(jobId)) noteEntryProgress(entry, data);
      },
    });
    return parts;
  };

  const finish = (entry: BackendEntry, result: QueryResult): void => {
    if (entry.settled) return;
    entry.settled = true;
    if (entry.cancelling) clearTimeout(entry.cancelling.timer);
    const list = entries.get(entry.jobId)?.filter((e) => e !== entry) ?? [];
    if (list.length > 0) entries.set(entry.jobId, list);
    else entries.delete(entry.jobId);
    if (entries.size === 0 && poller) {
      clearInterval(poller);
      poller = undefined;
    }
    entry.settle(result);
    entry.messages.complete();
  };

  const unreachable = (entry: BackendEntry, error: unknown): void => {
    const now = Date.now();
    entry.unreachableSince ??= now;
    log?.warn({ jobId: entry.jobId, error }, 'Redis did not answer for a job');
    if (now - entry.unreachableSince >= options.unavailableMs) {
      finish(entry, failedEntryResult(entry, unavailable(entry.jobId, error)));
    }
  };

  /** One check of a job: dispatch it when not in Redis yet, else read its state. */
  const check = async (entry: BackendEntry): Promise<void> => {
    if (entry.settled || entry.checking || closed) return;
    entry.checking = true;
    try {
      if (!entry.dispatched) {
        if (entry.cancelling) {
          // Never dispatched: no session of this run was opened.
          finish(
            entry,
            cancelledEntryResult(entry, emptyResult(entry.queryId, undefined, 'cancelled')),
          );
          return;
        }
        const { queue } = await withDeadline(getParts(), commandTimeoutMs, 'connecting to Redis');
        await addTaskJob(queue, entry.jobId, entry.data, options);
        entry.dispatched = true;
        entry.unreachableSince = undefined;
        log?.debug({ jobId: entry.jobId }, 'job dispatched');
      }
      const { queue } = await getParts();
      const job = (await withDeadline(
        queue.getJob(entry.jobId),
        commandTimeoutMs,
        'reading a job',
      )) as Job | undefined;
      entry.unreachableSince = undefined;
      if (entry.settled) return;
      if (!job) {
        lostJob(entry);
        return;
      }
      noteEntryProgress(entry, job.progress);
      if (job.finishedOn !== undefined) {
        finish(
          entry,
          job.failedReason && job.returnvalue == null
            ? failedJobResult(entry, job.failedReason)
            : resultFromReturn(entry, job.returnvalue),
        );
      }
    } catch (error) {
      if (!entry.settled) unreachable(entry, error);
    } finally {
      entry.checking = false;
    }
  };

  const lostJob = (entry: BackendEntry): void => {
    if (entry.cancelling) {
      finish(entry, cancelledEntryResult(entry));
      return;
    }
    entry.lost += 1;
    if (entry.lost > options.redispatchLost) {
      finish(entry, lostJobResult(entry, where));
      return;
    }
    log?.warn({ jobId: entry.jobId, lost: entry.lost }, 'job vanished from Redis: adding it again');
    entry.dispatched = false;
  };

  const ensurePoller = (): void => {
    if (poller || closed) return;
    poller = setInterval(() => {
      for (const list of entries.values()) for (const entry of list) void check(entry);
    }, options.pollMs);
    poller.unref?.();
  };

  const cancelEntry = async (entry: BackendEntry, reason: unknown): Promise<void> => {
    if (entry.settled || entry.cancelling) return;
    entry.cancelling = {
      reason,
      timer: setTimeout(() => {
        log?.warn({ jobId: entry.jobId }, 'a cancelled job did not stop in time');
        finish(entry, cancelledEntryResult(entry));
      }, options.cancelGraceMs),
    };
    entry.cancelling.timer.unref?.();
    // Not in Redis yet: the next check settles it cancelled instead of dispatching it.
    if (!entry.dispatched) return;
    try {
      const target = { jobId: entry.jobId, prefix, queueName, commandTimeoutMs };
      const outcome = await cancelBackendJob(await getParts(), target, reason);
      // 'asked': the worker's answer (or the grace timer) settles it.
      if (outcome !== 'asked') finish(entry, cancelledEntryResult(entry));
    } catch (error) {
      log?.warn({ jobId: entry.jobId, error }, 'asking the worker to cancel a job failed');
    }
  };

  return {
    queueName,
    prefix,
    query(
      prompt: QueryPrompt,
      queryOptions: QueryOptions,
      run: BackendTaskRun,
    ): BackendQueryHandle {
      if (closed)
        throw new DistributedError('BACKEND_UNAVAILABLE', 'The bullmq backend was closed.');
      const jobId = jobIdOf(run.runId, run.taskId, run.attempt);
      const data = taskJobData(prompt, queryOptions, run, log);
      const { entry, result } = createBackendEntry(jobId, run, data);
      entries.set(jobId, [...entriesOf(jobId), entry]);
      ensurePoller();
      void check(entry);
      return {
        queryId: run.queryId,
        messages$: entry.messages.asObservable(),
        result,
        cancel: (reason?: unknown) => void cancelEntry(entry, reason ?? 'the task was cancelled'),
      };
    },
    async ready() {
      const connected = async (): Promise<void> => {
        const { queue, events, client } = await getParts();
        await Promise.all([queue.waitUntilReady(), events.waitUntilReady(), client.ping()]);
      };
      try {
        await withDeadline(connected(), commandTimeoutMs, 'connecting to Redis');
      } catch (error) {
        throw unavailable(undefined, error);
      }
    },
    pending() {
      let n = 0;
      for (const list of entries.values()) n += list.length;
      return n;
    },
    async close() {
      if (closed) return;
      closed = true;
      if (poller) clearInterval(poller);
      poller = undefined;
      for (const list of [...entries.values()]) {
        for (const entry of list) {
          const error = new DistributedError(
            'BACKEND_UNAVAILABLE',
            `The bullmq backend was closed while job ${entry.jobId} ran.`,
            { jobId: entry.jobId, queryId: entry.queryId },
          );
          finish(entry, failedEntryResult(entry, error));
        }
      }
      if (!parts) return;
      const opened = await parts.catch(() => undefined);
      if (!opened) return;
      // A close waits for Redis to answer: bounded, then the connections are dropped.
      await withDeadline(
        Promise.allSettled([opened.events.close(), opened.queue.close()]),
        commandTimeoutMs,
        'closing the queue',
      ).catch(() => log?.warn('Redis did not answer while closing: connections dropped'));
      for (const c of opened.connections) c.disconnect();
    },
  };
}
