import { randomBytes } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import type { Job, Queue, Worker } from 'bullmq';
import type { Redis } from 'ioredis';
import type { AnyActorRef } from 'xstate';
import { CancelledError } from '../core/errors/cancelled-error.js';
import { BudgetExceededError } from '../resilience/errors/budget-exceeded-error.js';
import type { RateLimiterEvent } from '../resilience/limiter/rate-limiter-types.js';
import type { Runtime } from '../runtime/create-runtime.js';
import { RUNTIME_SYSTEM_IDS } from '../runtime/runtime-tree.js';
import {
  deadLetterQueueName,
  failedForGood,
  failedResultReason,
  recordDeadLetter,
} from './dead-letter.js';
import { admissionKeys } from './redis-admission-keys.js';
import {
  openRedis,
  parseRedisAdmissionOptions,
  type RedisAdmissionOptions,
} from './redis-admission-options.js';
import { createSharedBudget, type SharedBudget, type SharedBudgetState } from './shared-budget.js';
import { createSharedPause, type SharedPause, type SharedPauseState } from './shared-pause.js';
import type { AdmissionTicket, AdmittedJob, WorkerAdmission } from './worker-admission.js';

/** The shared admission on Redis, with what it can tell about the queue. */
export interface RedisAdmission extends WorkerAdmission {
  /** This admission's id, the `origin` of the pauses it publishes. */
  readonly id: string;
  /** The shared budget now, `undefined` without `budgetUsd`. */
  budget(): Promise<SharedBudgetState | undefined>;
  /** The shared rate-limit pause now. */
  pause(): Promise<SharedPauseState>;
}

/** The connections and the Redis-backed parts, made on first use. */
interface Resources {
  readonly redis: Redis;
  readonly pause: SharedPause;
  readonly budget: SharedBudget | undefined;
}

/** A job admitted and not settled yet. */
interface Held {
  readonly runId: string;
  readonly reservedUsd: number;
  renewal: NodeJS.Timeout | undefined;
}

/**
 * The admission every worker of a queue shares, on Redis (see {@link WorkerAdmission}):
 *
 * - **one rate-limit pause**: when an attached runtime's limiter pauses (a 429, a rejected
 *   `rate_limit_event`), the pause is published (`shared-pause.ts`): BullMQ hands out none of
 *   the queue's jobs until it ends, every attached worker applies it to its own limiter (so its
 *   in-flight retries wait too), and `admit` waits while it is on;
 * - **one budget**: `admit` reserves the job's `reserveUsd` atomically (`shared-budget.ts`);
 *   while only the reservations of running jobs keep it out it waits for them, and it refuses
 *   with `BudgetExceededError` once the spending alone leaves no room; `settle` replaces the
 *   reservation by the actual cost; a dead worker's reservation expires;
 * - **one concurrency cap** (`globalConcurrency`), set on the queue when a worker attaches;
 * - **cancelled runs** (`cancelRun`) are refused at admission, and admissions waiting out a
 *   pause for a job being cancelled stop;
 * - **dead letters**: a job an attached worker failed for good (its attempts exhausted, or
 *   completed with a `status: 'failed'` result: its query's retries exhausted) is copied to
 *   `<queue>-dead`.
 *
 * Nothing secret is written to Redis: job ids, amounts, pause reasons and redacted dead letters.
 *
 * @throws `InvalidOptionsError` naming each bad option and the value received.
 * @example
 * ```ts
 * const admission = createRedisAdmission({ connection: 'redis://127.0.0.1:6379', queueName: 'tasks', budgetUsd: 20 });
 * const worker = createWorker({ connection, queueName: 'tasks', admission });
 * ```
 */
export function createRedisAdmission(options: RedisAdmissionOptions): RedisAdmission {
  const resolved = parseRedisAdmissionOptions(options);
  const { queueName, prefix, budgetUsd, defaultReserveUsd, reservationTtlMs } = resolved;
  const log = resolved.logger?.child({ component: 'redis-admission', queue: queueName });
  const id = `${queueName}-${randomBytes(4).toString('hex')}`;
  const keys = admissionKeys(prefix, queueName);
  const onRedisError = (error: Error): void => log?.debug({ error }, 'redis connection error');
  let loaded: Resources | undefined;
  // Connected on first use (ioredis and BullMQ are loaded then, not with the library).
  const resources: Promise<Resources> = (async () => {
    const redis = await openRedis(resolved.connection, onRedisError);
    const pause = createSharedPause({ redis, keys, origin: id });
    const budget =
      budgetUsd === undefined
        ? undefined
        : createSharedBudget({ redis, keys, limitUsd: budgetUsd, reservationTtlMs });
    loaded = { redis, pause, budget };
    return loaded;
  })();
  let subscriber: Promise<Redis> | undefined;
  let deadQueue: Promise<Queue> | undefined;
  const held = new Map<string, Held>();
  /** Admissions under way, by job id: aborted when their job is cancelled. */
  const admitting = new Map<string, AbortController>();
  /** The limiters of attached runtimes, each with the pauses applied to it from Redis. */
  const limiters = new Set<() => AnyActorRef | undefined>();
  const applied = new WeakMap<AnyActorRef, Set<number>>();
  const workers = new Set<Worker>();
  let closed = false;

  const apply = (ref: AnyActorRef | undefined, ms: number, reason: string): void => {
    if (!ref || ms <= 0) return;
    const until = Date.now() + ms;
    const set = applied.get(ref) ?? new Set<number>();
    applied.set(ref, set);
    set.add(until);
    ref.send({ type: 'RESTORE', pausedUntil: until, reason } satisfies RateLimiterEvent);
  };

  const onMessage = (channel: string, message: string): void => {
    if (channel === keys.pauseChannel) {
      const decoded = loaded?.pause.decode(message);
      if (!decoded || decoded.origin === id) return;
      log?.info({ ms: decoded.ms, reason: decoded.reason }, 'shared pause applied');
      for (const limiter of limiters) apply(limiter(), decoded.ms, decoded.reason);
    } else if (channel === keys.cancelChannel) {
      const { jobId, reason } = parseCancel(message);
      if (jobId) admitting.get(jobId)?.abort(reason ?? 'cancelled');
    }
  };

  const subscribe = (): Promise<Redis> => {
    subscriber ??= (async () => {
      await resources;
      const client = await openRedis(resolved.connection, onRedisError);
      client.on('message', onMessage);
      await client.subscribe(keys.pauseChannel, keys.cancelChannel);
      return client;
    })();
    return subscriber;
  };

  const release = (jobId: string): Held | undefined => {
    const entry = held.get(jobId);
    if (!entry) return undefined;
    held.delete(jobId);
    if (entry.renewal) clearInterval(entry.renewal);
    return entry;
  };

  return {
    id,
    async admit(job: AdmittedJob, signal?: AbortSignal): Promise<AdmissionTicket> {
      if (closed) throw new CancelledError('the admission is closed', { queryId: job.jobId });
      const controller = new AbortController();
      const onAbort = (): void => controller.abort(signal?.reason);
      if (signal?.aborted) onAbort();
      else signal?.addEventListener('abort', onAbort, { once: true });
      admitting.set(job.jobId, controller);
      try {
        const { redis, pause, budget } = await resources;
        const cancelled = await redis.get(keys.cancelled(job.runId));
        if (cancelled !== null) throw new CancelledError(cancelled, { queryId: job.jobId });
        await pause.waitOver(controller.signal);
        let reservedUsd = 0;
        if (budget) {
          const amount = job.reserveUsd ?? defaultReserveUsd;
          await reserveWhenFree(budget, budgetUsd ?? 0, job.jobId, amount, controller.signal);
          reservedUsd = amount;
          if (controller.signal.aborted) {
            await budget.settle(job.jobId, 0);
            throw new CancelledError(controller.signal.reason, { queryId: job.jobId });
          }
        }
        const entry: Held = { runId: job.runId, reservedUsd, renewal: undefined };
        if (budget) {
          // Renewed while the task runs; a worker that dies stops renewing and its
          // reservation expires.
          entry.renewal = setInterval(
            () => {
              budget.renew(job.jobId).catch((error: unknown) => {
                log?.warn({ jobId: job.jobId, err: error }, 'budget reservation not renewed');
              });
            },
            Math.floor(reservationTtlMs / 3),
          );
          entry.renewal.unref();
        }
        release(job.jobId);
        held.set(job.jobId, entry);
        return { jobId: job.jobId, reservedUsd };
      } catch (error) {
        if (error instanceof CancelledError || !controller.signal.aborted) throw error;
        throw new CancelledError(controller.signal.reason, { queryId: job.jobId });
      } finally {
        admitting.delete(job.jobId);
        signal?.removeEventListener('abort', onAbort);
      }
    },

    async settle(ticket, costUsd) {
      const entry = release(ticket.jobId);
      const { budget } = await resources;
      if (!entry || !budget) return;
      await budget.settle(ticket.jobId, Math.max(0, Number.isFinite(costUsd) ? costUsd : 0));
    },

    attach(runtime: Runtime, worker: Worker): () => void {
      const limiter = (): AnyActorRef | undefined =>
        runtime.root.system.get(RUNTIME_SYSTEM_IDS.limiter) as AnyActorRef | undefined;
      limiters.add(limiter);
      workers.add(worker);
      const followed = new WeakSet<AnyActorRef>();
      const unfollows: (() => void)[] = [];
      const follow = (): void => {
        const ref = limiter();
        if (!ref || followed.has(ref)) return;
        followed.add(ref);
        const subscription = ref.on(
          'limiter.paused',
          (event: { until: number; reason: string | undefined }) => {
            // A pause this admission applied from Redis is not published back.
            if (applied.get(ref)?.delete(event.until)) return;
            // Runtimes attached to this same admission do not hear its own messages.
            for (const other of limiters) {
              const otherRef = other();
              if (otherRef && otherRef !== ref) {
                apply(otherRef, event.until - Date.now(), event.reason ?? 'rate limited');
              }
            }
            resources
              .then(({ pause }) => pause.publish(event.until, event.reason))
              .then(
                (published) => {
                  if (published)
                    log?.info({ until: event.until, reason: event.reason }, 'pause shared');
                },
                (error: unknown) => log?.error({ err: error }, 'pause not shared'),
              );
          },
        );
        unfollows.push(() => subscription.unsubscribe());
        // A worker that starts (or a limiter restarted) during a pause applies it too.
        resources
          .then(({ pause }) => pause.state())
          .then(
            (state) => apply(ref, state.remainingMs, state.reason ?? 'rate limited'),
            (error: unknown) => log?.warn({ err: error }, 'shared pause not read'),
          );
      };
      follow();
      // A restarted limiter is a new actor: follow it when the tree changes.
      const tree = runtime.tree$.subscribe(() => follow());

      const deadLetter = (job: Job, error: Error): Promise<void> => {
        deadQueue ??= Promise.all([resources, import('bullmq')]).then(
          ([{ redis }, { Queue }]) =>
            new Queue(deadLetterQueueName(queueName), { connection: redis, prefix }),
        );
        log?.warn({ jobId: job.id }, 'job dead-lettered');
        return deadQueue.then((queue) => recordDeadLetter(queue, job, error));
      };
      const onFailed = (job: Job | undefined, error: Error): void => {
        if (!job || !resolved.deadLetter) return;
        failedForGood(job)
          .then((dead) => (dead ? deadLetter(job, error) : undefined))
          .catch((failure: unknown) =>
            log?.error({ err: failure, jobId: job.id }, 'not dead-lettered'),
          );
      };
      const onCompleted = (job: Job, value: unknown): void => {
        const reason = resolved.deadLetter ? failedResultReason(value) : undefined;
        if (reason === undefined) return;
        deadLetter(job, new Error(reason)).catch((failure: unknown) =>
          log?.error({ err: failure, jobId: job.id }, 'not dead-lettered'),
        );
      };
      worker.on('failed', onFailed);
      worker.on('completed', onCompleted);

      const ready = Promise.all([
        subscribe(),
        // BullMQ honours the shared pause only with a rate limit on the worker or the queue.
        worker.opts.limiter ? undefined : resources.then(({ pause }) => pause.ensureLimiter()),
        resolved.globalConcurrency === undefined
          ? undefined
          : // What `queue.setGlobalConcurrency` does, without opening a queue for it.
            resources.then(({ redis }) =>
              redis.hset(keys.bullMeta, 'concurrency', resolved.globalConcurrency as number),
            ),
      ]);
      ready.catch((error: unknown) => log?.error({ err: error }, 'admission not attached'));

      return () => {
        limiters.delete(limiter);
        workers.delete(worker);
        tree.unsubscribe();
        for (const unfollow of unfollows) unfollow();
        worker.off('failed', onFailed);
        worker.off('completed', onCompleted);
      };
    },

    budget: async () => (await resources).budget?.state(),
    pause: async () => (await resources).pause.state(),

    async close() {
      if (closed) return;
      closed = true;
      for (const controller of admitting.values()) controller.abort('the admission closed');
      for (const jobId of [...held.keys()]) release(jobId);
      const clients = await Promise.all([
        resources.then((r) => r.redis).catch(() => undefined),
        subscriber?.catch(() => undefined),
      ]);
      await (await deadQueue?.catch(() => undefined))?.close();
      await Promise.all(clients.map((client) => client?.quit().catch(() => client.disconnect())));
    },
  };
}

function parseCancel(message: string): { jobId?: string; reason?: string } {
  try {
    const parsed = JSON.parse(message) as { jobId?: unknown; reason?: unknown };
    return {
      jobId: typeof parsed.jobId === 'string' ? parsed.jobId : undefined,
      reason: typeof parsed.reason === 'string' ? parsed.reason : undefined,
    };
  } catch {
    return {};
  }
}

/** How often a job kept out by the reservations of running jobs tries again. */
const BUDGET_RETRY_MS = 200;

/**
 * Reserves `amountUsd` of the shared budget. While only reservations of running jobs keep it
 * out (what they will really spend is not known yet), it waits for them to settle or expire and
 * tries again; it is refused only once what was spent leaves no room for it.
 *
 * @throws {@link BudgetExceededError} when the spending alone leaves less than `amountUsd`.
 */
async function reserveWhenFree(
  budget: SharedBudget,
  limitUsd: number,
  jobId: string,
  amountUsd: number,
  signal: AbortSignal,
): Promise<void> {
  for (;;) {
    try {
      await budget.reserve(jobId, amountUsd);
      return;
    } catch (error) {
      if (!(error instanceof BudgetExceededError)) throw error;
      const { spentUsd, reservedUsd } = await budget.state();
      // In whole micro-USD, as the reserve script counts (the amount rounded up).
      const room = Math.floor(limitUsd * 1e6) - Math.round(spentUsd * 1e6);
      if (reservedUsd <= 0 || Math.ceil(amountUsd * 1e6) > room) throw error;
      await sleep(BUDGET_RETRY_MS, undefined, { signal });
    }
  }
}
