import type { DistributedWorker } from '../distributed/create-worker.js';
import { DEFAULT_QUEUE_NAME } from '../distributed/job/distributed-job.js';
import type { RedisAdmission } from '../distributed/redis-admission.js';
import { describeRedis } from '../distributed/redis-connection.js';
import type { WorkerJobEvent } from '../distributed/worker-job-event.js';
import { createSimulatedEnvironment } from '../testing/create-simulated-environment.js';
import { commandHelp } from './command-help.js';
import type { CommandIo } from './command-io.js';
import { type AnyCommandSpec, booleanFlag, integerFlag, stringFlag } from './command-spec.js';
import { describeError } from './describe-error.js';
import { EXIT_CODES } from './exit-codes.js';
import { formatCost, formatDuration } from './format.js';
import { parseCommandLine } from './parse-command-line.js';
import { parseCostFlag } from './parse-time-flags.js';
import { preflight } from './preflight.js';
import { writeProblems } from './write-problems.js';

/** The command line of `claude-actors worker`: parsed from and documented by this one table. */
export const workerCommandSpec = {
  name: 'worker',
  operands: '',
  summary:
    'Take the tasks of `run --redis` runs from a Redis queue and run them here until SIGTERM/SIGINT ' +
    '(then drain and exit 0); offline simulator unless --live.',
  takesOperands: false,
  flags: {
    redis: stringFlag(
      'URL',
      'The Redis the runs dispatch to, e.g. redis://127.0.0.1:6379 (required).',
    ),
    concurrency: integerFlag('N', 'Tasks this worker runs at once (default 1).', {
      min: 1,
      max: 256,
    }),
    queue: stringFlag('NAME', 'The queue to take tasks from (default: claude-actors).'),
    prefix: stringFlag('P', "BullMQ's key prefix, as the runs use it (default: bull)."),
    'shutdown-ms': integerFlag(
      'MS',
      'On SIGTERM/SIGINT, how long running tasks may finish before they are handed back to the ' +
        'queue (default 30000).',
      { min: 0 },
    ),
    'budget-usd': stringFlag(
      'USD',
      'The budget every worker of the queue shares (reserved in Redis before each task; give ' +
        'all workers the same). Default: none.',
    ),
    'global-concurrency': integerFlag(
      'N',
      'Tasks all workers of the queue run at once (set on the queue). Default: no cap.',
      { min: 1 },
    ),
    live: booleanFlag('Run the tasks against real Claude (needs credentials); default: simulated.'),
  },
} as const satisfies AnyCommandSpec;

/** One line per job change, e.g. `job r.build.1 succeeded in 2.1s, $0.0123`. */
function jobLine(event: WorkerJobEvent): string {
  switch (event.type) {
    case 'job.started':
      return `job ${event.jobId} started (task ${event.taskId}, attempt ${event.attempt}${
        event.resumedSession ? `, continuing session ${event.resumedSession}` : ''
      })`;
    case 'job.ended':
      return `job ${event.jobId} ${event.status} in ${formatDuration(event.durationMs)}, ${formatCost(
        event.costUsd,
      )}${event.errorCode ? ` (${event.errorCode})` : ''}`;
    case 'job.handed-back':
      return `job ${event.jobId} handed back to the queue (shutting down)`;
    case 'job.invalid':
      return `job ${event.jobId} refused: ${event.message}`;
  }
}

/**
 * `claude-actors worker --redis URL`: a worker process for distributed runs. Takes task-run
 * jobs from the queue and runs them on a local runtime (the built-in simulated API unless
 * `--live`), printing one line per job. The first SIGTERM or SIGINT stops it taking jobs; the
 * running ones get `--shutdown-ms` to finish, then are handed back to the queue for another
 * worker; it exits 0 once every CLI it started has exited.
 *
 * @returns 0 after a drain on a signal, 1 when the worker cannot start (Redis unreachable), 2
 *   for bad usage.
 */
export async function workerCommand(args: string[], io: CommandIo): Promise<number> {
  let parsed: ReturnType<typeof parseCommandLine<typeof workerCommandSpec.flags>>;
  try {
    parsed = parseCommandLine(workerCommandSpec, args);
  } catch (error) {
    return writeProblems(io.stderr, describeError(error), workerCommandSpec);
  }
  if (parsed.help) {
    io.stdout.write(commandHelp(workerCommandSpec));
    return EXIT_CODES.ok;
  }
  const { values } = parsed;
  const problems: string[] = [];
  if (values.redis === undefined)
    problems.push('--redis URL is required, e.g. --redis redis://127.0.0.1:6379');
  else if (!/^rediss?:\/\/\S+$/.test(values.redis)) {
    problems.push(
      `--redis: expected a redis:// or rediss:// URL, got ${JSON.stringify(describeUrl(values.redis))}`,
    );
  }
  if (values.queue !== undefined && !/^[A-Za-z0-9_.-]{1,128}$/.test(values.queue)) {
    problems.push(
      `--queue: expected up to 128 letters, digits, \`_\`, \`.\` and \`-\`, got ${JSON.stringify(values.queue)}`,
    );
  }
  const budget =
    values['budget-usd'] === undefined
      ? undefined
      : parseCostFlag('budget-usd', values['budget-usd']);
  if (typeof budget === 'string') problems.push(budget);
  problems.push(
    ...(await preflight({
      live: values.live === true,
      notice: (line) => io.stderr.write(`claude-actors: ${line}\n`),
    })),
  );
  if (problems.length > 0 || values.redis === undefined)
    return writeProblems(io.stderr, problems, workerCommandSpec);
  if (io.signal?.aborted) return EXIT_CODES.ok;
  const redis = values.redis;
  const concurrency = values.concurrency ?? 1;
  const sim = values.live
    ? undefined
    : await createSimulatedEnvironment({ ttftMs: 150, chunkSize: 12, chunkDelayMs: 25 });
  let worker: DistributedWorker | undefined;
  let admission: RedisAdmission | undefined;
  try {
    // Loaded here: nothing else of the command line needs BullMQ.
    const { createWorker } = await import('../distributed/create-worker.js');
    const { createRedisAdmission } = await import('../distributed/redis-admission.js');
    // Every worker shares the queue's rate-limit pauses (and the budget and cap when given).
    admission = createRedisAdmission({
      connection: redis,
      queueName: values.queue ?? DEFAULT_QUEUE_NAME,
      ...(values.prefix === undefined ? {} : { prefix: values.prefix }),
      ...(typeof budget === 'number' ? { budgetUsd: budget } : {}),
      ...(values['global-concurrency'] === undefined
        ? {}
        : { globalConcurrency: values['global-concurrency'] }),
    });
    worker = await createWorker({
      connection: redis,
      concurrency,
      admission,
      ...(values.queue === undefined ? {} : { queueName: values.queue }),
      ...(values.prefix === undefined ? {} : { prefix: values.prefix }),
      ...(values['shutdown-ms'] === undefined ? {} : { shutdownMs: values['shutdown-ms'] }),
      runtimeOptions: {
        ...(sim ? { defaults: sim.options } : {}),
        limiter: { maxConcurrent: concurrency },
      },
    });
    worker.events$.subscribe((event) => io.stdout.write(`${jobLine(event)}\n`));
    io.stdout.write(
      `Worker ${worker.name} on ${describeRedis(redis)}, queue ${values.queue ?? DEFAULT_QUEUE_NAME}, ` +
        `concurrency ${concurrency}${typeof budget === 'number' ? `, shared budget ${formatCost(budget)}` : ''}, ${sim ? `simulated API (${sim.simulator.url}); --live for real Claude` : 'real Claude'}. ` +
        'SIGTERM or Ctrl-C to drain and stop.\n',
    );
    await new Promise<void>((resolve) => {
      if (io.signal?.aborted) resolve();
      io.signal?.addEventListener('abort', () => resolve(), { once: true });
    });
    io.stdout.write(`Draining: ${worker.running()} task(s) running.\n`);
    await worker.close();
    worker = undefined;
    io.stdout.write('Worker stopped.\n');
    return EXIT_CODES.ok;
  } catch (error) {
    writeProblems(io.stderr, describeError(error));
    return EXIT_CODES.failed;
  } finally {
    await worker?.close({ deadlineMs: 0 });
    await admission?.close();
    await sim?.close();
  }
}

/** A URL as it may be shown: its password replaced. */
function describeUrl(url: string): string {
  return url.replace(/\/\/([^:/@]*):[^@]*@/, '//$1:[redacted]@');
}
