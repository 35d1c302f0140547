import { readFileSync } from 'node:fs';
import { didYouMean } from '../core/validation/did-you-mean.js';
import { mainHelp } from './command-help.js';
import type { CommandIo } from './command-io.js';
import { EXIT_CODES } from './exit-codes.js';
import { planCommand, planCommandSpec } from './plan-command.js';
import { queryCommand, queryCommandSpec } from './query-command.js';
import { queueCommand, queueCommandSpec } from './queue-command.js';
import { reapCommand, reapCommandSpec } from './reap-command.js';
import { runCommand, runCommandSpec } from './run-command.js';
import { sessionsCommand, sessionsCommandSpec } from './sessions-command.js';
import { simulateCommand, simulateCommandSpec } from './simulate-command.js';
import { workerCommand, workerCommandSpec } from './worker-command.js';

const COMMANDS = {
  run: { spec: runCommandSpec, command: runCommand },
  plan: { spec: planCommandSpec, command: planCommand },
  query: { spec: queryCommandSpec, command: queryCommand },
  simulate: { spec: simulateCommandSpec, command: simulateCommand },
  reap: { spec: reapCommandSpec, command: reapCommand },
  sessions: { spec: sessionsCommandSpec, command: sessionsCommand },
  queue: { spec: queueCommandSpec, command: queueCommand },
  worker: { spec: workerCommandSpec, command: workerCommand },
} as const;

/**
 * Commands whose normal end is a signal (a worker drains and stops on SIGTERM): they exit with
 * their own code, not 128 + the signal's number.
 */
export const SIGNAL_ENDED_COMMANDS: ReadonlySet<string> = new Set(['worker']);

/** The top-level help: every subcommand and every flag, from the subcommands' flag tables. */
const MAIN_HELP = mainHelp(Object.values(COMMANDS).map((c) => c.spec));

/**
 * Runs `claude-actors <command> …`: a subcommand, `--help`, `--version`; an unknown command
 * gets a did-you-mean.
 *
 * @returns The exit code (see `EXIT_CODES`); signals are mapped to 130 / 143 by the caller.
 */
export async function dispatch(argv: readonly string[], io: CommandIo): Promise<number> {
  const [command, ...rest] = argv;
  if (command !== undefined && Object.hasOwn(COMMANDS, command)) {
    return COMMANDS[command as keyof typeof COMMANDS].command(rest, io);
  }
  switch (command) {
    case '--version':
    case '-v': {
      const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8'));
      io.stdout.write(`${pkg.version}\n`);
      return EXIT_CODES.ok;
    }
    case '--help':
    case '-h':
      io.stdout.write(MAIN_HELP);
      return EXIT_CODES.ok;
    case undefined:
      io.stderr.write(MAIN_HELP);
      return EXIT_CODES.usage;
    default: {
      const suggestion = didYouMean(command, Object.keys(COMMANDS));
      io.stderr.write(
        `claude-actors: unknown command \`${command}\`${suggestion ? ` (did you mean \`${suggestion}\`?)` : ''}\n` +
          'Run `claude-actors --help` for every command and flag.\n',
      );
      return EXIT_CODES.usage;
    }
  }
}
