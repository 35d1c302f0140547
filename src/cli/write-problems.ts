import { usageLine } from './command-help.js';
import type { AnyCommandSpec } from './command-spec.js';
import { EXIT_CODES } from './exit-codes.js';

/**
 * Writes every problem on its own line (continuation lines indented), then, for problems of
 * the command line itself, the usage line and where the full help is.
 *
 * @returns Exit code 2.
 */
export function writeProblems(
  stderr: NodeJS.WritableStream,
  problems: readonly string[],
  usageOf?: AnyCommandSpec,
): number {
  const prefix = usageOf ? `claude-actors ${usageOf.name}: ` : 'claude-actors: ';
  for (const problem of problems) {
    stderr.write(`${prefix}${problem.replaceAll('\n', '\n    ')}\n`);
  }
  if (usageOf) {
    stderr.write(
      `Usage: ${usageLine(usageOf)}\nRun \`claude-actors ${usageOf.name} --help\` for every flag.\n`,
    );
  }
  return EXIT_CODES.usage;
}
