import { type BullmqBackend, bullmqBackend } from '../../src/distributed/bullmq-backend.js';
import { createWorker, type DistributedWorker } from '../../src/distributed/create-worker.js';
import type { WorkerOptions } from '../../src/distributed/worker-options.js';
import type { BackendTaskRun } from '../../src/orchestration/task-queue/task-queue-backend.js';
import type { fakeRuntime } from '../distributed/fake-runtime.js';

/** Options of {@link distributedParts}. */
export interface DistributedPartsOptions {
  /** The Redis URL (read when a part is made: test Redis starts in `beforeAll`). */
  readonly url: () => string;
  /** Each part's close is pushed here; the suite runs them in reverse in `afterEach`. */
  readonly closers: Array<() => Promise<void>>;
  /** Worker options every worker gets (a test's own `extra` override them). */
  readonly worker?: Partial<WorkerOptions>;
  /** The deadline of a worker's close in `closers`. @defaultValue 1000 */
  readonly closeDeadlineMs?: number;
}

/**
 * Makers of a BullMQ backend and of workers on a fake runtime, on one test Redis and prefix,
 * each closed by the suite's `closers`.
 *
 * @example
 * ```ts
 * const { backendOn, workerOn } = distributedParts({ url: () => redis.url, closers });
 * await workerOn(prefix, fakeRuntime({ autoSucceed: () => 'ok' }));
 * const backend = backendOn(prefix);
 * ```
 */
export function distributedParts(options: DistributedPartsOptions) {
  const { url, closers, closeDeadlineMs = 1_000 } = options;
  const backendOn = (prefix: string, extra: Record<string, unknown> = {}): BullmqBackend => {
    const backend = bullmqBackend({ connection: url(), prefix, pollMs: 100, ...extra });
    closers.push(() => backend.close());
    return backend;
  };
  const workerOn = async (
    prefix: string,
    fake: Pick<ReturnType<typeof fakeRuntime>, 'runtime'>,
    extra: Record<string, unknown> = {},
  ): Promise<DistributedWorker> => {
    const worker = await createWorker({
      connection: url(),
      prefix,
      runtime: fake.runtime,
      ...options.worker,
      ...extra,
    });
    closers.push(() => worker.close({ deadlineMs: closeDeadlineMs }));
    return worker;
  };
  return { backendOn, workerOn };
}

/**
 * A maker of the task runs of one run (`runId`), as the scheduler hands them to a backend.
 *
 * @example
 * ```ts
 * const run = taskRunsOf('run-1');
 * backend.query('Do it', {}, run('a')); // queryId 'run-1:a:1'
 * ```
 */
export function taskRunsOf(runId: string) {
  return (taskId: string, attempt = 1): BackendTaskRun => ({
    runId,
    taskId,
    attempt,
    queryId: `${runId}:${taskId}:${attempt}`,
    tags: [`run:${runId}`],
  });
}
