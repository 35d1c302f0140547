import { redactSecrets } from '../core/redaction/redact-secrets.js';
import { didYouMean } from '../core/validation/did-you-mean.js';
import type { QueueTarget } from '../distributed/queue-operations-target.js';
import { commandHelp } from './command-help.js';
import type { CommandIo } from './command-io.js';
import { type AnyCommandSpec, booleanFlag, type FlagValues, stringFlag } from './command-spec.js';
import { describeError } from './describe-error.js';
import { EXIT_CODES } from './exit-codes.js';
import { parseCommandLine } from './parse-command-line.js';
import { parseDurationFlag } from './parse-time-flags.js';
import { writeProblems } from './write-problems.js';

/** The command line of `claude-actors queue`: parsed from and documented by this one table. */
export const queueCommandSpec = {
  name: 'queue',
  operands: '<stats|cancel RUN|clean|dead [list|requeue ID|purge]>',
  summary:
    'Operate a distributed queue: `stats`, `cancel <run>`, `clean --older-than 7d`, ' +
    '`dead` (list, requeue <job>, purge).',
  takesOperands: true,
  flags: {
    redis: stringFlag('URL', 'The Redis of the queue (redis://host:port/db); required.'),
    queue: stringFlag('NAME', 'The queue (default: claude-actors).'),
    prefix: stringFlag('PREFIX', "BullMQ's key prefix (default: bull)."),
    'older-than': stringFlag('AGE', 'clean: remove finished jobs older than AGE (default 1d).'),
    json: booleanFlag('stats, dead list: print JSON.'),
  },
} as const satisfies AnyCommandSpec;

type Values = FlagValues<typeof queueCommandSpec.flags>;
const ACTIONS = ['stats', 'cancel', 'clean', 'dead'] as const;
type Action = (typeof ACTIONS)[number];

/**
 * `claude-actors queue …`: the queue operations of `src/distributed` from the command line.
 * BullMQ and ioredis are loaded only when this command runs.
 *
 * @returns 0 when done, 1 when Redis fails or the dead letter is not there, 2 for bad usage.
 */
export async function queueCommand(args: string[], io: CommandIo): Promise<number> {
  let parsed: ReturnType<typeof parseCommandLine<typeof queueCommandSpec.flags>>;
  try {
    parsed = parseCommandLine(queueCommandSpec, args);
  } catch (error) {
    return writeProblems(io.stderr, describeError(error), queueCommandSpec);
  }
  if (parsed.help) {
    io.stdout.write(commandHelp(queueCommandSpec));
    return EXIT_CODES.ok;
  }
  const [action, ...operands] = parsed.operands;
  const problems = usageProblems(action, operands, parsed.values);
  if (problems.length > 0) return writeProblems(io.stderr, problems, queueCommandSpec);
  // A command fails soon when Redis is down, where a worker would wait for it to come back.
  const { Redis } = await import('ioredis');
  const client = new Redis(parsed.values.redis as string, {
    lazyConnect: true,
    maxRetriesPerRequest: 1,
    retryStrategy: (times) => (times > 2 ? null : 200),
  });
  // The cause (ECONNREFUSED, a DNS failure, NOAUTH): `connect` itself only says it closed.
  let cause: unknown;
  client.on('error', (error) => {
    cause = error;
  });
  try {
    await client.connect();
  } catch (error) {
    client.disconnect();
    const reason = cause ?? error;
    const message = reason instanceof Error ? reason.message : String(reason);
    io.stderr.write(
      `claude-actors queue: cannot reach Redis at ${redactSecrets(parsed.values.redis as string)}: ` +
        `${redactSecrets(message)}. Check that redis-server runs there and the URL is right.\n`,
    );
    return EXIT_CODES.failed;
  }
  const target = {
    connection: client,
    queueName: parsed.values.queue ?? 'claude-actors',
    prefix: parsed.values.prefix ?? 'bull',
  };
  try {
    return await run(action as Action, operands, parsed.values, target, io);
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    io.stderr.write(`claude-actors queue: ${redactSecrets(message)}\n`);
    return EXIT_CODES.failed;
  } finally {
    client.disconnect();
  }
}

function usageProblems(
  action: string | undefined,
  operands: readonly string[],
  values: Values,
): string[] {
  const problems: string[] = [];
  if (values.redis === undefined) problems.push('--redis URL is required');
  else if (!/^rediss?:\/\/\S+$/.test(values.redis)) {
    problems.push(
      `--redis: expected a redis:// or rediss:// URL, got ${JSON.stringify(redactSecrets(values.redis))}`,
    );
  }
  if (action === undefined) {
    problems.push(`expected an action: ${ACTIONS.join(', ')}`);
    return problems;
  }
  if (!(ACTIONS as readonly string[]).includes(action)) {
    const suggestion = didYouMean(action, ACTIONS);
    problems.push(
      `unknown action \`${action}\`${suggestion ? ` (did you mean \`${suggestion}\`?)` : ''}`,
    );
    return problems;
  }
  if (action === 'cancel' && operands.length !== 1) problems.push('cancel: expected one run id');
  if (action === 'dead') {
    const [sub, ...ids] = operands;
    if (sub !== undefined && !['list', 'requeue', 'purge'].includes(sub)) {
      problems.push(`dead: expected list, requeue <job> or purge, got \`${sub}\``);
    } else if (sub === 'requeue' && ids.length === 0)
      problems.push('dead requeue: expected job ids');
  }
  if ((action === 'stats' || action === 'clean') && operands.length > 0) {
    problems.push(`${action}: takes no operands, got ${operands.join(' ')}`);
  }
  if (values['older-than'] !== undefined) {
    if (action !== 'clean') problems.push('--older-than is for `clean` only');
    const age = parseDurationFlag('older-than', values['older-than']);
    if (typeof age === 'string') problems.push(age);
  }
  return problems;
}

async function run(
  action: Action,
  operands: readonly string[],
  values: Values,
  target: QueueTarget,
  io: CommandIo,
): Promise<number> {
  const out = (line: string): void => {
    io.stdout.write(`${line}\n`);
  };
  const ops = await import('../distributed/queue-operations.js');
  switch (action) {
    case 'stats': {
      const metrics = await ops.queueMetrics(target);
      if (values.json) out(JSON.stringify(metrics));
      else {
        out(
          `${target.queueName}: ${metrics.waiting} waiting, ${metrics.active} active, ` +
            `${metrics.delayed} delayed, ${metrics.prioritized} prioritized, ` +
            `${metrics.completed} completed, ${metrics.failed} failed, ` +
            `${metrics.deadLettered} dead-lettered`,
        );
        const notes = [
          metrics.paused ? 'paused' : undefined,
          metrics.globalConcurrency === undefined
            ? undefined
            : `global concurrency ${metrics.globalConcurrency}`,
          metrics.rateLimitedForMs > 0
            ? `rate-limited for ${Math.ceil(metrics.rateLimitedForMs / 1000)} s more`
            : undefined,
        ].filter((note) => note !== undefined);
        if (notes.length > 0) out(notes.join('; '));
      }
      return EXIT_CODES.ok;
    }
    case 'cancel': {
      const runId = operands[0] as string;
      const report = await ops.cancelRun(target, runId);
      out(
        `run ${runId}: ${report.removed.length} job(s) removed before they started, ` +
          `${report.aborting.length} active job(s) asked to abort`,
      );
      return EXIT_CODES.ok;
    }
    case 'clean': {
      const age = parseDurationFlag('older-than', values['older-than'] ?? '1d') as number;
      const report = await ops.cleanQueue(target, { olderThanMs: age });
      out(`removed ${report.completed} completed and ${report.failed} failed job(s)`);
      return EXIT_CODES.ok;
    }
    case 'dead':
      return dead(operands, values, target, out, io);
  }
}

async function dead(
  operands: readonly string[],
  values: Values,
  target: QueueTarget,
  out: (line: string) => void,
  io: CommandIo,
): Promise<number> {
  const letters = await import('../distributed/dead-letter.js');
  const [sub = 'list', ...ids] = operands;
  if (sub === 'purge') {
    out(`purged ${await letters.purgeDeadLetters(target)} dead letter(s)`);
    return EXIT_CODES.ok;
  }
  if (sub === 'requeue') {
    let missing = 0;
    for (const id of ids) {
      if (await letters.requeueDeadLetter(target, id)) out(`requeued ${id}`);
      else {
        missing += 1;
        io.stderr.write(`claude-actors queue: no dead letter ${id}\n`);
      }
    }
    return missing > 0 ? EXIT_CODES.failed : EXIT_CODES.ok;
  }
  const list = await letters.listDeadLetters(target);
  if (values.json) out(JSON.stringify(list));
  else if (list.length === 0) out('no dead letters');
  else {
    for (const letter of list) {
      out(
        `${letter.jobId}  ${new Date(letter.deadAt).toISOString()}  ` +
          `${letter.attemptsMade}/${letter.attempts} attempt(s)  ${letter.failedReason}`,
      );
    }
  }
  return EXIT_CODES.ok;
}
