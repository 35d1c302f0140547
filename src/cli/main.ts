#!/usr/bin/env node
import { readFileSync } from 'node:fs';
import { mainHelp } from './command-help.js';
import type { CommandIo } from './command-io.js';
import { didYouMean } from './did-you-mean.js';
import { EXIT_CODES } from './exit-codes.js';
import { planCommand, planCommandSpec } from './plan-command.js';
import { queryCommand, queryCommandSpec } from './query-command.js';
import { runCommand, runCommandSpec } from './run-command.js';
import { simulateCommand, simulateCommandSpec } from './simulate-command.js';

const COMMANDS = {
  run: { spec: runCommandSpec, command: runCommand },
  plan: { spec: planCommandSpec, command: planCommand },
  query: { spec: queryCommandSpec, command: queryCommand },
  simulate: { spec: simulateCommandSpec, command: simulateCommand },
} as const;

const HELP = mainHelp(Object.values(COMMANDS).map((c) => c.spec));

/** The exit code after a signal stopped the command: 128 + the signal's number. */
const SIGNAL_EXIT = { SIGINT: EXIT_CODES.interrupted, SIGTERM: EXIT_CODES.terminated } as const;

async function main(argv: string[], controller: AbortController): Promise<number> {
  const [command, ...rest] = argv;
  const io: CommandIo = {
    stdout: process.stdout,
    stderr: process.stderr,
    signal: controller.signal,
  };
  if (command !== undefined && Object.hasOwn(COMMANDS, command)) {
    return COMMANDS[command as keyof typeof COMMANDS].command(rest, io);
  }
  switch (command) {
    case '--version':
    case '-v': {
      const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8'));
      process.stdout.write(`${pkg.version}\n`);
      return EXIT_CODES.ok;
    }
    case '--help':
    case '-h':
      process.stdout.write(HELP);
      return EXIT_CODES.ok;
    case undefined:
      process.stderr.write(HELP);
      return EXIT_CODES.usage;
    default: {
      const suggestion = didYouMean(command, Object.keys(COMMANDS));
      process.stderr.write(
        `claude-actors: unknown command \`${command}\`${suggestion ? ` (did you mean \`${suggestion}\`?)` : ''}\n` +
          'Run `claude-actors --help` for every command and flag.\n',
      );
      return EXIT_CODES.usage;
    }
  }
}

const controller = new AbortController();
let stoppedBy: keyof typeof SIGNAL_EXIT | undefined;
// First signal: stop all work gracefully (summary and report still written), then exit
// 128 + signal; a second one: exit now (the exit handler still stops every CLI).
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.on(signal, () => {
    if (stoppedBy) process.exit(SIGNAL_EXIT[stoppedBy]);
    stoppedBy = signal;
    controller.abort(signal);
  });
}
const code = await main(process.argv.slice(2), controller);
process.exitCode = stoppedBy ? SIGNAL_EXIT[stoppedBy] : code;
