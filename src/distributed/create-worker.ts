import { hostname } from 'node:os';
import type { Job, Worker } from 'bullmq';
import type { Redis } from 'ioredis';
import { type Observable, Subject } from 'rxjs';
import { CancelledError } from '../core/errors/cancelled-error.js';
import { scrubbingLogger } from '../core/logging/scrubbing-logger.js';
import { redactSecrets } from '../core/redaction/redact-secrets.js';
import { safeValidate } from '../core/validation/validate.js';
import type { QueryResult } from '../machines/query/query-types.js';
import { DEFAULT_CONTINUATION_PROMPT } from '../orchestration/task-queue/task-queue-options.js';
import { createRuntime, type Runtime } from '../runtime/create-runtime.js';
import type { RuntimeQueryHandle } from '../runtime/runtime-query-types.js';
import { DistributedError } from './errors/distributed-error.js';
import { cancelChannelOf } from './job/cancel-channel.js';
import {
  type DistributedJobData,
  DistributedJobDataSchema,
  DistributedJobProgressSchema,
} from './job/distributed-job.js';
import {
  type DistributedJobResult,
  serializeError,
  toJobResult,
} from './job/distributed-job-result.js';
import { emptyResult } from './job/empty-result.js';
import { describeRedis, redisOptionsOf } from './redis-connection.js';
import { runTaskJob } from './run-task-job.js';
import { withDeadline } from './with-deadline.js';
import type { AdmissionTicket } from './worker-admission.js';
import type { WorkerJobEvent } from './worker-job-event.js';
import {
  parseWorkerCloseOptions,
  parseWorkerOptions,
  type WorkerOptions,
} from './worker-options.js';

/** A worker taking task-run jobs from a queue (see {@link createWorker}). */
export interface DistributedWorker {
  /** Its name (logs, job progress, results). */
  readonly name: string;
  /** The BullMQ worker. */
  readonly worker: Worker;
  /** The runtime the jobs run on. */
  readonly runtime: Runtime;
  /** One event per job change; completes when the worker has closed. */
  readonly events$: Observable<WorkerJobEvent>;
  /** Jobs running now. */
  running(): number;
  /**
   * Stops taking jobs; running ones may finish until `deadlineMs` (default `shutdownMs`), the
   * others are cancelled and handed back to the queue (their session id stays on the job, so
   * the worker taking them continues it). Resolves once every CLI it started has exited and
   * its connections are closed. Idempotent.
   * @throws {@link InvalidOptionsError} (a rejection, nothing closed) for a `deadlineMs` that
   *   is not an integer from 0 to 2³¹ − 1.
   */
  close(options?: { readonly deadlineMs?: number }): Promise<void>;
}

interface Active {
  readonly job: Job;
  /** Aborted at the shutdown deadline: withdraws a job still waiting for its admission. */
  readonly shutdown: AbortController;
  handle: RuntimeQueryHandle | undefined;
  handedBack: boolean;
}

/**
 * Starts a worker: a BullMQ Worker whose processor runs each task-run job (dispatched by
 * `bullmqBackend`) as a query on a local runtime — the given `runtime`, else one it creates from
 * `runtimeOptions` and stops on close. Each job is admitted first (`admission.admit`: a
 * shared pause, the shared budget) and settled after (`admission.settle` with its cost).
 *
 * The job's lock is renewed while it runs (`lockDurationMs`); when a worker dies, another one
 * takes its job after the lock expired and continues the CLI session the dead one recorded on
 * the job (`job.progress.sessionId`, written as soon as the CLI's `system/init` arrives), or
 * runs it afresh when that session cannot be continued. A cancel from the scheduler aborts the
 * job's query. Credentials are the worker's own: jobs carry none.
 *
 * @throws {@link InvalidOptionsError} for invalid options, and {@link DistributedError}
 *   `BACKEND_UNAVAILABLE` when Redis does not answer within `connectTimeoutMs`.
 * @example
 * ```ts
 * const worker = await createWorker({ connection: 'redis://127.0.0.1:6379', concurrency: 2 });
 * worker.events$.subscribe((e) => logger.info({ jobId: e.jobId }, e.type));
 * process.on('SIGTERM', () => void worker.close());
 * ```
 */
export async function createWorker(input: WorkerOptions): Promise<DistributedWorker> {
  const options = parseWorkerOptions(input);
  const name = options.name ?? `${hostname()}:${process.pid}`;
  const log =
    options.logger && scrubbingLogger(options.logger).child({ component: 'worker', worker: name });
  const [{ Worker, WaitingError, UnrecoverableError }, { Redis }] = await Promise.all([
    import('bullmq'),
    import('ioredis'),
  ]);
  const connection = redisOptionsOf(options.connection);
  const ownsRuntime = options.runtime === undefined;
  const runtime =
    options.runtime ??
    createRuntime({
      ...options.runtimeOptions,
      limiter: options.runtimeOptions?.limiter ?? { maxConcurrent: options.concurrency },
    });
  const continuationPrompt = options.continuationPrompt ?? DEFAULT_CONTINUATION_PROMPT;
  const events = new Subject<WorkerJobEvent>();
  const active = new Map<string, Active>();
  let closing: Promise<void> | undefined;

  const processor = async (
    job: Job,
    token?: string,
    signal?: AbortSignal,
  ): Promise<DistributedJobResult> => {
    const jobId = job.id ?? '';
    const parsed = safeValidate(DistributedJobDataSchema, job.data);
    if (!parsed.success) {
      const message = `Job ${jobId} is not a claude-actors task run: ${parsed.error.issues
        .map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`)
        .join('; ')}`;
      events.next({ type: 'job.invalid', jobId, message });
      throw new UnrecoverableError(message);
    }
    const data: DistributedJobData = parsed.data;
    const progress = DistributedJobProgressSchema.safeParse(job.progress);
    const deadSession = progress.success ? progress.data.sessionId : undefined;
    const session = deadSession ?? data.resumeSession;
    const entry: Active = {
      job,
      shutdown: new AbortController(),
      handle: undefined,
      handedBack: false,
    };
    active.set(jobId, entry);
    const abort = signal ?? new AbortController().signal;
    const started = Date.now();
    events.next({
      type: 'job.started',
      jobId,
      runId: data.runId,
      taskId: data.taskId,
      attempt: data.attempt,
      resumedSession: session,
    });
    let ticket: AdmissionTicket | undefined;
    let result: QueryResult | undefined;
    try {
      try {
        ticket = await options.admission?.admit(
          {
            jobId,
            runId: data.runId,
            taskId: data.taskId,
            reserveUsd:
              typeof data.options.maxBudgetUsd === 'number' ? data.options.maxBudgetUsd : undefined,
          },
          AbortSignal.any([abort, entry.shutdown.signal]),
        );
      } catch (error) {
        result = abort.aborted
          ? emptyResult(data.queryId, undefined, 'cancelled', new CancelledError(abort.reason))
          : emptyResult(
              data.queryId,
              undefined,
              'failed',
              error instanceof Error ? error : new Error(serializeError(error).message),
            );
      }
      if (!result && !entry.handedBack) {
        result = await runTaskJob({
          runtime,
          data,
          session,
          recovered: deadSession !== undefined,
          continuationPrompt,
          signal: abort,
          onHandle: (handle) => {
            entry.handle = handle;
            if (entry.handedBack) handle.cancel('the worker is shutting down');
          },
          onSession: (sessionId) => {
            // Recorded at once: a worker recovering this job after a crash continues it.
            void job
              .updateProgress({ sessionId, worker: name })
              .catch((error: unknown) =>
                log?.warn({ jobId, error }, 'recording the session failed'),
              );
          },
        });
      }
    } finally {
      if (ticket) {
        await options.admission
          ?.settle(ticket, result?.costUsd ?? 0)
          .catch((error: unknown) => log?.warn({ jobId, error }, 'settling the admission failed'));
      }
      active.delete(jobId);
    }
    if (entry.handedBack && token !== undefined) {
      await job.moveToWait(token);
      events.next({ type: 'job.handed-back', jobId, taskId: data.taskId });
      log?.info({ jobId }, 'job handed back to the queue');
      throw new WaitingError();
    }
    const finalResult =
      result ??
      emptyResult(
        data.queryId,
        undefined,
        'cancelled',
        new CancelledError('the worker is shutting down'),
      );
    events.next({
      type: 'job.ended',
      jobId,
      taskId: data.taskId,
      status: finalResult.status,
      durationMs: Date.now() - started,
      costUsd: finalResult.costUsd,
      errorCode: (finalResult.error as { code?: string } | undefined)?.code,
    });
    return toJobResult(finalResult, name);
  };

  // Our own connection, given to BullMQ: one that cannot reach Redis can be dropped (BullMQ's
  // close would wait for Redis forever).
  const workerConnection: Redis = new Redis({ ...connection, maxRetriesPerRequest: null });
  workerConnection.on('error', (error) => log?.debug({ error }, 'worker connection error'));
  const worker = new Worker(options.queueName, processor, {
    connection: workerConnection,
    prefix: options.prefix,
    concurrency: options.concurrency,
    lockDuration: options.lockDurationMs,
    stalledInterval: options.stalledIntervalMs,
    maxStalledCount: options.maxStalledCount,
    autorun: false,
  });
  worker.on('error', (error) => log?.warn({ error }, 'worker connection error'));
  worker.on('failed', (job, error) => log?.warn({ jobId: job?.id, error }, 'job failed'));

  const subscriber: Redis = new Redis({ ...connection, maxRetriesPerRequest: null });
  // The last connection error, for the message when Redis cannot be reached at all.
  let lastError: Error | undefined;
  subscriber.on('error', (error) => {
    lastError = error;
    log?.debug({ error }, 'cancel channel connection error');
  });
  const channel = cancelChannelOf(options.prefix, options.queueName);
  subscriber.on('message', (from: string, message: string) => {
    if (from !== channel) return;
    try {
      const { jobId, reason } = JSON.parse(message) as { jobId?: unknown; reason?: unknown };
      if (typeof jobId === 'string' && active.has(jobId)) {
        log?.info({ jobId }, 'cancelling a job at the scheduler’s request');
        worker.cancelJob(jobId, typeof reason === 'string' ? reason : 'cancelled');
      }
    } catch {
      log?.warn('an invalid message on the cancel channel');
    }
  });
  const where = describeRedis(options.connection);
  try {
    await withDeadline(subscriber.subscribe(channel), options.connectTimeoutMs, 'subscribing');
    await withDeadline(worker.waitUntilReady(), options.connectTimeoutMs, 'connecting');
  } catch (error) {
    void worker.close(true).catch(() => undefined);
    workerConnection.disconnect();
    subscriber.disconnect();
    if (ownsRuntime) await runtime.stop({ deadlineMs: 1_000 });
    events.complete();
    throw new DistributedError(
      'BACKEND_UNAVAILABLE',
      `The worker could not reach Redis (${where}) in ${options.connectTimeoutMs} ms: ${
        error instanceof Error ? error.message : String(error)
      }${lastError ? ` (${redactSecrets(lastError.message)})` : ''}. Check that redis-server runs there and the URL is right.`,
      { cause: error },
    );
  }
  const detach = options.admission?.attach(runtime, worker);
  void worker.run().catch((error: unknown) => log?.error({ error }, 'the worker stopped'));
  log?.info({ queue: options.queueName, concurrency: options.concurrency }, 'worker started');

  const close = (closeOptions: { readonly deadlineMs?: number } = {}): Promise<void> => {
    let deadlineMs: number;
    try {
      // Checked before anything closes: a bad deadline must not become a 1 ms timer.
      deadlineMs = parseWorkerCloseOptions(closeOptions).deadlineMs ?? options.shutdownMs;
    } catch (error) {
      return Promise.reject(error);
    }
    closing ??= (async () => {
      const timer = setTimeout(() => {
        for (const entry of active.values()) {
          entry.handedBack = true;
          entry.shutdown.abort('the worker is shutting down');
          entry.handle?.cancel('the worker is shutting down');
        }
      }, deadlineMs);
      try {
        // Stops taking jobs and waits for the running ones (finished or handed back); bounded,
        // as it also waits for Redis to answer.
        await withDeadline(worker.close(), deadlineMs + 10_000, 'closing the worker').catch(
          (error: unknown) => log?.warn({ error }, 'the worker did not close in time: dropped'),
        );
      } finally {
        clearTimeout(timer);
        detach?.();
        workerConnection.disconnect();
        subscriber.disconnect();
        if (ownsRuntime) await runtime.stop({ deadlineMs: 5_000 });
        events.complete();
        log?.info('worker closed');
      }
    })();
    return closing;
  };

  return {
    name,
    worker,
    runtime,
    events$: events.asObservable(),
    running: () => active.size,
    close,
  };
}
