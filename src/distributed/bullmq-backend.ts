import type { Job, Queue, QueueEvents } from 'bullmq';
import type { Redis } from 'ioredis';
import { ReplaySubject } from 'rxjs';
import { CancelledError } from '../core/errors/cancelled-error.js';
import { scrubbingLogger } from '../core/logging/scrubbing-logger.js';
import { safeValidate } from '../core/validation/validate.js';
import type { QueryOptions } from '../machines/query/options/query-options.js';
import type { QueryPrompt, QueryResult } from '../machines/query/query-types.js';
import type {
  BackendQueryHandle,
  BackendTaskRun,
  TaskQueueBackend,
} from '../orchestration/task-queue/task-queue-backend.js';
import type { CliMessage } from '../protocol/cli-message.js';
import { type BullmqBackendOptions, parseBullmqBackendOptions } from './bullmq-backend-options.js';
import { DistributedError } from './errors/distributed-error.js';
import { cancelChannelOf } from './job/cancel-channel.js';
import {
  type DistributedJobData,
  DistributedJobDataSchema,
  DistributedJobProgressSchema,
  TASK_JOB_NAME,
} from './job/distributed-job.js';
import { DistributedJobResultSchema, fromJobResult } from './job/distributed-job-result.js';
import { emptyResult } from './job/empty-result.js';
import { jobIdOf } from './job/job-id.js';
import { jobQueryOptions } from './job/job-query-options.js';
import { describeRedis, redisOptionsOf } from './redis-connection.js';
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

interface Entry {
  readonly jobId: string;
  readonly queryId: string;
  readonly data: DistributedJobData;
  readonly messages: ReplaySubject<CliMessage>;
  readonly settle: (result: QueryResult) => void;
  settled: boolean;
  /** The job is in Redis (added, or found there). */
  dispatched: boolean;
  sessionId: string | undefined;
  lost: number;
  unreachableSince: number | undefined;
  cancelling: { reason: unknown; timer: NodeJS.Timeout } | undefined;
  checking: boolean;
}

interface Parts {
  readonly queue: Queue;
  readonly events: QueueEvents;
  /** For PING and the cancel channel. */
  readonly client: Redis;
  readonly connections: readonly Redis[];
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
  const entries = new Map<string, Entry[]>();
  let parts: Promise<Parts> | undefined;
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

  const connect = async (): Promise<Parts> => {
    const [{ Queue, QueueEvents }, { Redis }] = await Promise.all([
      import('bullmq'),
      import('ioredis'),
    ]);
    const connection = redisOptionsOf(options.connection);
    // Our own connections, given to BullMQ: a close that waits for an unreachable Redis can
    // be cut short by disconnecting them (BullMQ's own close would wait forever).
    const client = new Redis({ ...connection, maxRetriesPerRequest: 1 });
    const queueConnection = new Redis({ ...connection, maxRetriesPerRequest: 1 });
    // Blocking reads: BullMQ needs `maxRetriesPerRequest: null` on this one.
    const eventsConnection = new Redis({ ...connection, maxRetriesPerRequest: null });
    for (const c of [client, queueConnection, eventsConnection]) {
      c.on('error', (error) => log?.debug({ error }, 'redis connection error'));
    }
    const queue = new Queue(queueName, { connection: queueConnection, prefix });
    const events = new QueueEvents(queueName, { connection: eventsConnection, prefix });
    queue.on('error', (error) => log?.warn({ error }, 'queue connection error'));
    events.on('error', (error) => log?.warn({ error }, 'queue events connection error'));
    events.on('completed', ({ jobId, returnvalue }) => {
      for (const entry of entries.get(jobId) ?? []) settleFromReturn(entry, returnvalue);
    });
    events.on('failed', ({ jobId, failedReason }) => {
      for (const entry of entries.get(jobId) ?? []) settleFailed(entry, failedReason);
    });
    events.on('progress', ({ jobId, data }) => {
      for (const entry of entries.get(jobId) ?? []) noteProgress(entry, data);
    });
    return { queue, events, client, connections: [client, queueConnection, eventsConnection] };
  };
  const getParts = (): Promise<Parts> => {
    parts ??= connect();
    return parts;
  };

  const finish = (entry: Entry, result: QueryResult): void => {
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

  const failedResult = (entry: Entry, error: Error): QueryResult =>
    emptyResult(entry.queryId, entry.sessionId, 'failed', error);

  const settleFromReturn = (entry: Entry, value: unknown): void => {
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
      finish(
        entry,
        failedResult(
          entry,
          new DistributedError(
            'INVALID_JOB',
            `Job ${entry.jobId} returned a value that is not a task result (${parsed.error.issues[0]?.message ?? 'invalid'}): is its worker another version of claude-actors?`,
            { jobId: entry.jobId, queryId: entry.queryId },
          ),
        ),
      );
      return;
    }
    if (parsed.data.sessionId !== undefined) noteSession(entry, parsed.data.sessionId);
    const result = fromJobResult(parsed.data, { jobId: entry.jobId, queryId: entry.queryId });
    finish(
      entry,
      entry.cancelling && result.status !== 'succeeded' ? asCancelled(entry, result) : result,
    );
  };

  const settleFailed = (entry: Entry, reason: string | undefined): void => {
    finish(
      entry,
      failedResult(
        entry,
        new DistributedError(
          'JOB_FAILED',
          `Job ${entry.jobId} failed on its worker outside the query: ${reason ?? 'no reason given'}`,
          { jobId: entry.jobId, queryId: entry.queryId },
        ),
      ),
    );
  };

  const asCancelled = (entry: Entry, result: QueryResult): QueryResult => ({
    ...result,
    status: 'cancelled',
    error: new CancelledError(entry.cancelling?.reason, { queryId: entry.queryId }),
  });

  const noteSession = (entry: Entry, sessionId: string): void => {
    if (sessionId === entry.sessionId) return;
    entry.sessionId = sessionId;
    // What the scheduler journals: the session the worker's CLI opened.
    entry.messages.next({
      type: 'system',
      subtype: 'init',
      session_id: sessionId,
    } as CliMessage);
  };

  const noteProgress = (entry: Entry, data: unknown): void => {
    const parsed = DistributedJobProgressSchema.safeParse(data);
    if (parsed.success && parsed.data.sessionId !== undefined)
      noteSession(entry, parsed.data.sessionId);
  };

  const reachable = (entry: Entry): void => {
    entry.unreachableSince = undefined;
  };
  const unreachable = (entry: Entry, error: unknown): void => {
    const now = Date.now();
    entry.unreachableSince ??= now;
    log?.warn({ jobId: entry.jobId, error }, 'Redis did not answer for a job');
    if (now - entry.unreachableSince >= options.unavailableMs) {
      finish(entry, failedResult(entry, unavailable(entry.jobId, error)));
    }
  };

  const dispatch = async (entry: Entry): Promise<void> => {
    const { queue } = await withDeadline(getParts(), commandTimeoutMs, 'connecting to Redis');
    await withDeadline(
      queue.add(TASK_JOB_NAME, entry.data, {
        jobId: entry.jobId,
        // The scheduler retries (a new attempt, a new job): BullMQ runs each job once.
        attempts: 1,
        removeOnComplete: { age: options.keepFinishedSec },
        removeOnFail: { age: options.keepFinishedSec },
      }),
      commandTimeoutMs,
      `adding job ${entry.jobId}`,
    );
    entry.dispatched = true;
  };

  /** One check of a job: dispatch it when not in Redis yet, else read its state. */
  const check = async (entry: Entry): Promise<void> => {
    if (entry.settled || entry.checking || closed) return;
    entry.checking = true;
    try {
      if (!entry.dispatched) {
        if (entry.cancelling) {
          finish(entry, asCancelled(entry, emptyResult(entry.queryId, undefined, 'cancelled')));
          return;
        }
        await dispatch(entry);
        reachable(entry);
        log?.debug({ jobId: entry.jobId }, 'job dispatched');
      }
      const { queue } = await getParts();
      const job = (await withDeadline(
        queue.getJob(entry.jobId),
        commandTimeoutMs,
        'reading a job',
      )) as Job | undefined;
      reachable(entry);
      if (entry.settled) return;
      if (!job) {
        lostJob(entry);
        return;
      }
      noteProgress(entry, job.progress);
      if (job.finishedOn !== undefined) {
        if (job.failedReason && job.returnvalue == null) settleFailed(entry, job.failedReason);
        else settleFromReturn(entry, job.returnvalue);
      }
    } catch (error) {
      if (!entry.settled) unreachable(entry, error);
    } finally {
      entry.checking = false;
    }
  };

  const lostJob = (entry: Entry): void => {
    if (entry.cancelling) {
      finish(entry, asCancelled(entry, emptyResult(entry.queryId, entry.sessionId, 'cancelled')));
      return;
    }
    entry.lost += 1;
    if (entry.lost > options.redispatchLost) {
      finish(
        entry,
        failedResult(
          entry,
          new DistributedError(
            'JOB_LOST',
            `Job ${entry.jobId} vanished from Redis (${where}) ${entry.lost} times (a restart ` +
              'without persistence?): its task is not known to have run. Enable Redis persistence ' +
              '(appendonly) or retry the task.',
            { jobId: entry.jobId, queryId: entry.queryId },
          ),
        ),
      );
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

  const cancelEntry = async (entry: Entry, reason: unknown): Promise<void> => {
    if (entry.settled || entry.cancelling) return;
    entry.cancelling = {
      reason,
      timer: setTimeout(() => {
        log?.warn({ jobId: entry.jobId }, 'a cancelled job did not stop in time');
        finish(entry, asCancelled(entry, emptyResult(entry.queryId, entry.sessionId, 'cancelled')));
      }, options.cancelGraceMs),
    };
    entry.cancelling.timer.unref?.();
    if (!entry.dispatched) return;
    try {
      const { queue } = await getParts();
      const job = (await withDeadline(
        queue.getJob(entry.jobId),
        commandTimeoutMs,
        'reading a job',
      )) as Job | undefined;
      if (!job) {
        finish(entry, asCancelled(entry, emptyResult(entry.queryId, entry.sessionId, 'cancelled')));
        return;
      }
      const state = await withDeadline(job.getState(), commandTimeoutMs, 'reading a job state');
      if (state !== 'active' && state !== 'completed' && state !== 'failed') {
        const removed = await withDeadline(
          queue.remove(entry.jobId),
          commandTimeoutMs,
          'removing a job',
        )
          .then((n) => Number(n) > 0)
          .catch(() => false);
        if (removed) {
          finish(
            entry,
            asCancelled(entry, emptyResult(entry.queryId, entry.sessionId, 'cancelled')),
          );
          return;
        }
      }
      const { client } = await getParts();
      await withDeadline(
        client.publish(
          cancelChannelOf(prefix, queueName),
          JSON.stringify({ jobId: entry.jobId, reason: reasonText(reason) }),
        ),
        commandTimeoutMs,
        'publishing a cancel',
      );
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
      const { options: jobOptions, dropped } = jobQueryOptions(queryOptions);
      if (dropped.length > 0)
        log?.debug({ dropped, taskId: run.taskId }, 'credentials left out of a job');
      const jobId = jobIdOf(run.runId, run.taskId, run.attempt);
      const data = DistributedJobDataSchema.parse({
        v: 1,
        runId: run.runId,
        taskId: run.taskId,
        attempt: run.attempt,
        queryId: run.queryId,
        prompt,
        options: jobOptions,
        tags: [...run.tags],
        ...(run.resumeSession === undefined ? {} : { resumeSession: run.resumeSession }),
        ...(run.continuationPrompt === undefined
          ? {}
          : { continuationPrompt: run.continuationPrompt }),
      });
      let settle!: (result: QueryResult) => void;
      const result = new Promise<QueryResult>((resolve) => {
        settle = resolve;
      });
      const entry: Entry = {
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
      entries.set(jobId, [...(entries.get(jobId) ?? []), entry]);
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
          finish(
            entry,
            failedResult(
              entry,
              new DistributedError(
                'BACKEND_UNAVAILABLE',
                `The bullmq backend was closed while job ${entry.jobId} ran.`,
                {
                  jobId: entry.jobId,
                  queryId: entry.queryId,
                },
              ),
            ),
          );
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

function reasonText(reason: unknown): string {
  return reason instanceof Error ? reason.message : String(reason);
}
