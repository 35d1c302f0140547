import type { Worker } from 'bullmq';
import type { Runtime } from '../runtime/create-runtime.js';

/** The job a worker is about to run, as its admission sees it. */
export interface AdmittedJob {
  /** The BullMQ job id (derived from run, task and attempt). */
  readonly jobId: string;
  readonly runId: string;
  readonly taskId: string;
  /** What the task may spend at most (its `maxBudgetUsd`), reserved before it starts. */
  readonly reserveUsd?: number | undefined;
}

/** What {@link WorkerAdmission.admit} hands back, to be settled when the query ends. */
export interface AdmissionTicket {
  readonly jobId: string;
  /** The amount reserved in the shared budget (0 without one). */
  readonly reservedUsd: number;
}

/**
 * The admission every worker of a queue shares (one rate-limit pause, one concurrency cap, one
 * budget), as `createWorker` uses it. `createRedisAdmission` is the implementation on Redis;
 * a worker without one admits every job.
 */
export interface WorkerAdmission {
  /**
   * Called before a job's query starts: resolves once it may start (after a pause shared by
   * the queue's workers has ended, and once the shared budget has room for its reservation),
   * with a ticket holding what was reserved of the shared budget.
   *
   * @throws `BudgetExceededError` when what was spent leaves the shared budget no room for
   *   `job.reserveUsd` (the job then fails without running), and `CancelledError` when `signal` aborts.
   */
  admit(job: AdmittedJob, signal?: AbortSignal): Promise<AdmissionTicket>;
  /** Called once the query ended: the reservation is replaced by the cost actually spent. */
  settle(ticket: AdmissionTicket, costUsd: number): Promise<void>;
  /**
   * Joins a worker and its local runtime to the shared admission: a rate-limit pause of the
   * runtime's limiter pauses every worker (`worker.rateLimit`), and a pause another worker saw
   * is applied to this runtime's limiter. Returns the function that detaches them.
   */
  attach(runtime: Runtime, worker: Worker): () => void;
  /** Closes its Redis connections. */
  close(): Promise<void>;
}
