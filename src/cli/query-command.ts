import type { QueryOptions } from '../machines/query/options/query-options.js';
import { runQuery } from '../machines/query/run-query.js';
import { textDeltas } from '../machines/query/streams/text-deltas.js';
import { createSimulatedEnvironment } from '../testing/create-simulated-environment.js';
import { commandHelp } from './command-help.js';
import type { CommandIo } from './command-io.js';
import { type AnyCommandSpec, booleanFlag, integerFlag, stringFlag } from './command-spec.js';
import { describeError } from './describe-error.js';
import { EXIT_CODES } from './exit-codes.js';
import { parseCommandLine } from './parse-command-line.js';
import { preflight } from './preflight.js';
import { writeProblems } from './write-problems.js';

/** The command line of `claude-actors query`: parsed from and documented by this one table. */
export const queryCommandSpec = {
  name: 'query',
  operands: '"<prompt>"',
  summary: 'Run one query and stream its text (offline simulator unless --live).',
  takesOperands: true,
  flags: {
    live: booleanFlag('Ask real Claude (needs credentials); default: the simulated API.'),
    model: stringFlag('M', "The model, e.g. claude-sonnet-4-5 (default: the CLI's)."),
    'max-turns': integerFlag('N', 'Stop after N agentic turns.', { min: 1 }),
    json: booleanFlag('Print the whole result as JSON instead of streaming the text.'),
  },
} as const satisfies AnyCommandSpec;

/**
 * `claude-actors query "<prompt>"`: runs one query and streams its text. Against the built-in
 * simulator unless `--live` is given.
 *
 * @returns 0 when the query succeeded, 1 when it failed, 2 for bad usage or a failed preflight.
 */
export async function queryCommand(args: string[], io: CommandIo): Promise<number> {
  let parsed: ReturnType<typeof parseCommandLine<typeof queryCommandSpec.flags>>;
  try {
    parsed = parseCommandLine(queryCommandSpec, args);
  } catch (error) {
    return writeProblems(io.stderr, describeError(error), queryCommandSpec);
  }
  if (parsed.help) {
    io.stdout.write(commandHelp(queryCommandSpec));
    return EXIT_CODES.ok;
  }
  const { values, operands } = parsed;
  const prompt = operands.join(' ').trim();
  if (!prompt) {
    return writeProblems(
      io.stderr,
      ['give a prompt, e.g. claude-actors query "hello"'],
      queryCommandSpec,
    );
  }
  const problems = await preflight({
    live: values.live === true,
    notice: (line) => io.stderr.write(`claude-actors: ${line}\n`),
  });
  if (problems.length > 0) return writeProblems(io.stderr, problems);
  const sim = values.live ? undefined : await createSimulatedEnvironment({ chunkDelayMs: 10 });
  try {
    const options: QueryOptions = {
      ...(sim?.options ?? {}),
      includePartialMessages: !values.json,
      ...(values.model === undefined ? {} : { model: values.model }),
      ...(values['max-turns'] === undefined ? {} : { maxTurns: values['max-turns'] }),
    };
    const handle = runQuery(prompt, options, { signal: io.signal });
    if (!values.json)
      handle.messages$.pipe(textDeltas()).subscribe((text) => io.stdout.write(text));
    const result = await handle.result;
    if (values.json) {
      io.stdout.write(
        `${JSON.stringify({ ...result, error: result.error?.toJSON(), raw: undefined, attemptErrors: result.attemptErrors.map((e) => e.toJSON()), simulated: sim !== undefined }, null, 2)}\n`,
      );
    } else {
      io.stdout.write('\n');
      io.stderr.write(
        `${result.status} · ${result.durationMs} ms · ${result.attempts} attempt(s) · $${result.costUsd.toFixed(6)}${sim ? ' (simulated)' : ''}` +
          `${result.error ? ` · ${result.error.message}` : ''}\n`,
      );
    }
    return result.status === 'succeeded' ? EXIT_CODES.ok : EXIT_CODES.failed;
  } catch (error) {
    return writeProblems(io.stderr, describeError(error));
  } finally {
    await sim?.close();
  }
}
